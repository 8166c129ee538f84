// Source: langwatch/langwatch#7960 review ("attach a rejection handler to the fire-and-forget
// auditLog calls") — the user is passed explicitly, but the audit write is not awaited: the page is
// served before it is recorded, and a failed write becomes an unhandled rejection.
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

export async function ordersPage(ports: Ports, token: string): Promise<Page> {
  const user = await ports.sessions.userFor(token);
  const orders = await ports.orders.listFor(user.id);
  void ports.audit.record(user.id, 'viewed orders');
  return { greeting: `Hello, ${user.name}`, orders };
}
