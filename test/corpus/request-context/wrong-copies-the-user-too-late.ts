// Source: reshufflehq/reshuffle#386 (getCurrentUser is right only before the first await) — the
// handler copies the module's user into a local, but only after awaiting the orders.
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

let currentUser: User | null = null;

async function authenticate(ports: Ports, token: string): Promise<void> {
  currentUser = await ports.sessions.userFor(token);
}

export async function ordersPage(ports: Ports, token: string): Promise<Page> {
  await authenticate(ports, token);
  const orders = await ports.orders.listFor(currentUser!.id);
  const user = currentUser!;
  await ports.audit.record(user.id, 'viewed orders');
  return { greeting: `Hello, ${user.name}`, orders };
}
