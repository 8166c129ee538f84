// Source: chrisK824/fastapi-g-context#2 (g.clear on concurrent requests raises in the other one) —
// clearing the shared user when a request ends breaks the request still running.
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

function user(): User {
  if (!currentUser) throw new Error('no user: authenticate first');
  return currentUser;
}

export async function ordersPage(ports: Ports, token: string): Promise<Page> {
  try {
    currentUser = await ports.sessions.userFor(token);
    const orders = await ports.orders.listFor(user().id);
    await ports.audit.record(user().id, 'viewed orders');
    return { greeting: `Hello, ${user().name}`, orders };
  } finally {
    currentUser = null;
  }
}
