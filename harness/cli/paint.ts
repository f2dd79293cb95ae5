// Terminal colours for commands on the start-up path (score): chalk, imported only when it could
// colour anything. With stdout not a terminal, chalk (its supports-color rules) prints plain text
// unless FORCE_COLOR, a --color/--no-color flag or Azure Pipelines (TF_BUILD + AGENT_NAME) says
// otherwise; in exactly that case chalk is not loaded at all, which saves its import time.

export interface Paint {
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  yellow: (text: string) => string;
}

const same = (text: string): string => text;
/** No colour: what chalk prints at colour level 0. */
export const PLAIN: Paint = { bold: same, dim: same, red: same, yellow: same };

/** Whether chalk could print colour in this process (else it would print `PLAIN`'s output). */
export function mayColour(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv, stdoutIsTty = process.stdout.isTTY === true): boolean {
  return stdoutIsTty || env['FORCE_COLOR'] !== undefined || ('TF_BUILD' in env && 'AGENT_NAME' in env) || argv.some((a) => /^--(no-)?colou?rs?(=|$)/.test(a));
}

/** chalk when it could colour, else `PLAIN` (without importing chalk). */
export async function paint(): Promise<Paint> {
  if (!mayColour()) return PLAIN;
  const { default: chalk } = await import('chalk');
  return chalk;
}
