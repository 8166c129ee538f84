/**
 * The long-lived processes this process started on purpose: database servers and the keepers that
 * stop them. Everything else a grader process leaves running after a grading is a stray (learner
 * code that spawned a process) and is killed; these are kept, with everything below them.
 */
const services = new Set<number>();
const listeners = new Set<(pids: number[]) => void>();

const changed = () => {
  for (const listener of listeners) listener([...services]);
};

/** Count `pid` (and the processes it starts) as a service of this process until it is released. */
export function registerService(pid: number): void {
  services.add(pid);
  changed();
}

export function releaseService(pid: number): void {
  if (services.delete(pid)) changed();
}

/** Called with every pid still registered, each time the set changes. */
export function onServicesChange(listener: (pids: number[]) => void): void {
  listeners.add(listener);
}

const releases = new Set<() => Promise<void>>();

/**
 * What to do before this process exits (drop the databases made, stop the servers started): a
 * service's module adds its own when it loads, so a process that never loaded it has nothing to do.
 */
export function onRelease(release: () => Promise<void>): void {
  releases.add(release);
}

/** Run every release added; one that fails does not stop the others. */
export async function releaseAll(): Promise<void> {
  await Promise.allSettled([...releases].map((release) => release()));
}
