/**
 * Clean-up on Ctrl-C or SIGTERM (bench/run.ts sends SIGTERM when a script exceeds its time
 * limit): the registered steps run newest first, so servers stop before their databases are
 * dropped, and then the process exits with code 130.
 */

type Step = () => unknown;

const steps = new Set<Step>();
let installed = false;

/** Registers a clean-up step and returns the function that removes it again. */
export function onInterrupt(step: Step): () => void {
  if (!installed) {
    installed = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void interrupt(signal));
  }
  steps.add(step);
  return () => steps.delete(step);
}

async function interrupt(signal: NodeJS.Signals): Promise<void> {
  process.stderr.write(`Received ${signal}; cleaning up.\n`);
  const deadline = setTimeout(() => process.exit(130), 8_000);
  for (const step of [...steps].reverse()) {
    try {
      await step();
    } catch (error) {
      process.stderr.write(`A clean-up step failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  clearTimeout(deadline);
  process.exit(130);
}
