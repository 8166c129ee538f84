// Source: vicanso/async-local-storage#14 (request state kept in a module-level structure) — request
// contexts keyed by session token: the same customer twice shares one entry, and the first request
// to finish deletes it from under the other.
export interface User {
  id: string;
  name: string;
}

export interface Ports {
  sessions: { userFor(token: string): Promise<User> };
  orders: { listFor(userId: string): Promise<string[]> };
  audit: { record(userId: string, action: string): Promise<void> };
}

export interface Page {
  greeting: string;
  orders: string[];
}

const contexts = new Map<string, User>();

export async function ordersPage(ports: Ports, token: string): Promise<Page> {
  contexts.set(token, await ports.sessions.userFor(token));
  try {
    const orders = await ports.orders.listFor(contexts.get(token)!.id);
    await ports.audit.record(contexts.get(token)!.id, 'viewed orders');
    return { greeting: `Hello, ${contexts.get(token)!.name}`, orders };
  } finally {
    contexts.delete(token);
  }
}
