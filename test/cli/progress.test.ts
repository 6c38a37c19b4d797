import { Output } from '../../cli/output';
import { startProgress } from '../../cli/progress';
import { Capture } from './support/capture';

function progressOn(format: 'human' | 'json', tty: boolean) {
  const stderr = new Capture(tty);
  const out = new Output(format, { stdout: new Capture(false), stderr }, {});
  return { progress: startProgress(out, 'Unlock S3 bucket policy'), stderr };
}

describe('progress', () => {
  it('prints one line per new state when stderr is piped', () => {
    const { progress, stderr } = progressOn('human', false);
    progress.status('Check the account');
    progress.status('Check the account');
    progress.status('Back up the policy');
    progress.count(2, 4, 'shards');
    progress.stop();
    expect(stderr.text).toBe(
      'Unlock S3 bucket policy: Check the account\nUnlock S3 bucket policy: Back up the policy\nUnlock S3 bucket policy: 2/4 shards\n',
    );
  });

  it('says nothing with --output json', () => {
    const { progress, stderr } = progressOn('json', true);
    progress.status('Check the account');
    progress.count(1, 2, 'shards');
    progress.stop();
    expect(stderr.text).toBe('');
  });

  it('draws a bar on a terminal and clears its line when done', () => {
    const { progress, stderr } = progressOn('human', true);
    progress.status('Audit each shard');
    progress.count(3, 10, 'shards');
    progress.count(10, 10, 'shards');
    progress.stop();
    expect(stderr.text).toContain('10/10 shards');
  });
});
