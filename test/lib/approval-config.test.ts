import { parseConfig } from '../../lib/config';

describe('approval settings of the configuration', () => {
  it('requires approval for unlocks and recovery by default, not for deletes, with a one-hour expiry', () => {
    const config = parseConfig({});
    expect(config.approvals).toEqual({
      deleteRootCredentials: false,
      enableRecovery: true,
      unlockS3: true,
      unlockSqs: true,
    });
    expect(config.approvalExpirySeconds).toBe(3600);
    expect(config.approverPrincipals).toEqual([]);
  });

  it('takes per-task switches and approver principals, also as strings from -c', () => {
    const config = parseConfig({
      approvals: { unlockSqs: 'false' },
      approverPrincipals:
        'arn:aws:iam::111111111111:role/Approvers, arn:aws:sts::111111111111:assumed-role/Ops/bob, arn:aws:iam::111111111111:user/carol',
      approvalExpirySeconds: '600',
    });
    expect(config.approvals).toMatchObject({ unlockS3: true, unlockSqs: false });
    expect(config.approverPrincipals).toHaveLength(3);
    expect(config.approvalExpirySeconds).toBe(600);
  });

  it('takes an approval gate for deleting root credentials on request', () => {
    expect(parseConfig({ approvals: { deleteRootCredentials: true } }).approvals).toMatchObject({
      deleteRootCredentials: true,
      unlockS3: true,
    });
  });

  it.each([
    [{ approvals: { unlockEverything: true } }, 'rootkeeper.approvals.unlockEverything: is not a root task'],
    [{ approvals: { unlockS3: 'yes' } }, 'rootkeeper.approvals.unlockS3: must be true or false'],
    [{ approvals: [] }, 'rootkeeper.approvals: must be an object'],
    [{ approvals: { deleteRootCredentials: 1 } }, 'rootkeeper.approvals.deleteRootCredentials: must be true'],
    [{ approvalExpirySeconds: 0 }, 'rootkeeper.approvalExpirySeconds: must be an integer from 1 to 604800'],
    [{ approverPrincipals: ['bob'] }, 'rootkeeper.approverPrincipals: "bob" is not a role'],
    [{ approverPrincipals: ['arn:aws:iam::111111111111:group/Ops'] }, 'rootkeeper.approverPrincipals:'],
  ])('refuses %j, naming the setting', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(message);
  });
});
