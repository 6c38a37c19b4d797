import { confirmAction } from '../../cli/confirm';
import { EXIT, UsageError } from '../../cli/errors';

describe('confirmAction', () => {
  it('accepts --yes without asking', async () => {
    const prompt = jest.fn(() => Promise.resolve(false));
    await expect(confirmAction('go?', { yes: true, interactive: false, prompt })).resolves.toBe(
      'confirmed-by-flag',
    );
    expect(prompt).not.toHaveBeenCalled();
  });

  it('refuses without a terminal and without --yes (exit 2, naming --yes)', async () => {
    const prompt = jest.fn(() => Promise.resolve(true));
    const refusal = confirmAction('go?', { yes: false, interactive: false, prompt });
    await expect(refusal).rejects.toBeInstanceOf(UsageError);
    await expect(refusal).rejects.toMatchObject({
      exitCode: EXIT.USAGE,
      message: expect.stringMatching(/^--yes: /) as string,
    });
    expect(prompt).not.toHaveBeenCalled();
  });

  it('asks on a terminal and honours the answer', async () => {
    const no = jest.fn(() => Promise.resolve(false));
    await expect(confirmAction('Unlock?', { yes: false, interactive: true, prompt: no })).resolves.toBe(
      'declined',
    );
    expect(no).toHaveBeenCalledWith('Unlock?');
    const yes = jest.fn(() => Promise.resolve(true));
    await expect(confirmAction('Unlock?', { yes: false, interactive: true, prompt: yes })).resolves.toBe(
      'confirmed',
    );
  });
});
