import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccountResultEvent, organizationsTime } from '../../../local/main-job/account-events';

const fixture = JSON.parse(
  readFileSync(
    join(__dirname, '../../fixtures/events/organizations-create-account-result-succeeded.json'),
    'utf8',
  ),
) as Record<string, unknown>;

/** The keys of every object, recursively: the shape without the values. */
function shape(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return typeof value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, shape(child)]));
}

test('the main job puts a CreateAccountResult shaped exactly as the fixture', () => {
  const event = createAccountResultEvent({
    accountId: '444455556666',
    accountName: 'payments-sandbox',
    managementAccountId: '111111111111',
    at: new Date('2026-11-20T09:14:37Z'),
    eventId: '6f2c1a7e-0c77-4d0e-9b4e-0d2a9c1f8e33',
  });
  expect(shape(event)).toEqual(shape(fixture));
  const fixtureEvent = fixture as unknown as typeof event;
  const { detail } = event;
  const fixtureDetail = fixtureEvent.detail;
  // The envelope is the fixture's but for the event id EventBridge assigns.
  expect({ ...event, id: '', detail: {} }).toEqual({ ...fixtureEvent, id: '', detail: {} });
  const status = (detail.serviceEventDetails as { createAccountStatus: Record<string, unknown> })
    .createAccountStatus;
  const expected = (fixtureDetail.serviceEventDetails as { createAccountStatus: Record<string, unknown> })
    .createAccountStatus;
  expect({ ...status, id: '', requestedTimestamp: '' }).toEqual({
    ...expected,
    id: '',
    requestedTimestamp: '',
  });
  expect(detail.eventID).toBe(fixtureDetail.eventID);
});

test('Organizations dates read like the service writes them', () => {
  expect(organizationsTime(new Date('2026-11-20T09:14:36Z'))).toBe('Nov 20, 2026 9:14:36 AM');
  expect(organizationsTime(new Date('2026-11-20T00:05:00Z'))).toBe('Nov 20, 2026 12:05:00 AM');
  expect(organizationsTime(new Date('2026-11-20T13:02:10Z'))).toBe('Nov 20, 2026 1:02:10 PM');
});
