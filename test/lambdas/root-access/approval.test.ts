import {
  ApproverNotAllowedError,
  assertMayDecide,
  matchesPrincipal,
  parsePrincipal,
  samePerson,
  SelfApprovalError,
} from '../../../lambdas/root-access/approval';

const session = (role: string, name: string, account = '111111111111') =>
  `arn:aws:sts::${account}:assumed-role/${role}/${name}`;

describe('who may decide on an approval request', () => {
  it('treats an assumed role as its role and session name', () => {
    const alice = parsePrincipal(session('OnCall', 'alice'));
    expect(alice).toMatchObject({
      kind: 'assumed-role',
      name: 'OnCall',
      session: 'alice',
      account: '111111111111',
    });
    expect(samePerson(alice, parsePrincipal(session('OnCall', 'alice')))).toBe(true);
    expect(samePerson(alice, parsePrincipal(session('OnCall', 'bob')))).toBe(false);
    // Another role with the same session name is another principal…
    expect(samePerson(alice, parsePrincipal(session('Approvers', 'alice')))).toBe(false);
    // …except for IAM Identity Center, where the session name is the person whatever the permission set.
    expect(
      samePerson(
        parsePrincipal(session('AWSReservedSSO_OnCall_0a1b', 'alice@example.com')),
        parsePrincipal(session('AWSReservedSSO_Approver_9f8e', 'alice@example.com')),
      ),
    ).toBe(true);
    // The same names in another account are another person.
    expect(samePerson(alice, parsePrincipal(session('OnCall', 'alice', '222222222222')))).toBe(false);
  });

  it('matches configured principals: a role stands for all its sessions, a path is not part of the session ARN', () => {
    const bob = parsePrincipal(session('Approvers', 'bob'));
    expect(matchesPrincipal(bob, 'arn:aws:iam::111111111111:role/Approvers')).toBe(true);
    expect(matchesPrincipal(bob, 'arn:aws:iam::111111111111:role/security/Approvers')).toBe(true);
    expect(matchesPrincipal(bob, 'arn:aws:iam::222222222222:role/Approvers')).toBe(false);
    expect(matchesPrincipal(bob, session('Approvers', 'bob'))).toBe(true);
    expect(matchesPrincipal(bob, session('Approvers', 'carol'))).toBe(false);
    expect(
      matchesPrincipal(
        parsePrincipal('arn:aws:iam::111111111111:user/bob'),
        'arn:aws:iam::111111111111:user/bob',
      ),
    ).toBe(true);
  });

  it('refuses the requester and anyone outside the configured approvers', () => {
    const requestedBy = session('OnCall', 'alice');
    expect(() => assertMayDecide({ requestedBy, approverArn: requestedBy, approverPrincipals: [] })).toThrow(
      SelfApprovalError,
    );
    expect(() =>
      assertMayDecide({
        requestedBy,
        approverArn: session('Developers', 'carol'),
        approverPrincipals: ['arn:aws:iam::111111111111:role/Approvers'],
      }),
    ).toThrow(ApproverNotAllowedError);
    expect(
      assertMayDecide({
        requestedBy,
        approverArn: session('Approvers', 'bob'),
        approverPrincipals: ['arn:aws:iam::111111111111:role/Approvers'],
      }),
    ).toMatchObject({ name: 'Approvers', session: 'bob' });
    expect(new SelfApprovalError('x').name).toBe('SelfApprovalError');
  });
});
