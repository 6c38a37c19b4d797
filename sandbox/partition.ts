/**
 * Partitions and their regions. An ARN, a queue URL or a credential scope names a partition; AWS's
 * partitions are separate worlds (separate endpoints and credentials), so a name from another
 * partition than the organization's never designates one of its resources.
 */
const PARTITION_OF_REGION_PREFIX: [prefix: string, partition: string][] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-isof-', 'aws-iso-f'],
  ['eusc-', 'aws-eusc'],
];

const DNS_SUFFIX: Record<string, string> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
  'aws-iso-e': 'cloud.adc-e.uk',
  'aws-iso-f': 'csp.hci.ic.gov',
  'aws-eusc': 'amazonaws.eu',
};

export function partitionOfRegion(region: string): string {
  return PARTITION_OF_REGION_PREFIX.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

export const dnsSuffix = (partition: string): string => DNS_SUFFIX[partition] ?? 'amazonaws.com';
