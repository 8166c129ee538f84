// Source: chrisK824/fastapi-g-context#2 (request globals set and cleared around each request) — the
// previous user is saved and restored in finally, but another request still runs in between.
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

export async function ordersPage(ports: Ports, token: string): Promise<Page> {
  const previous = currentUser;
  try {
    currentUser = await ports.sessions.userFor(token);
    const orders = await ports.orders.listFor(currentUser.id);
    await ports.audit.record(currentUser.id, 'viewed orders');
    return { greeting: `Hello, ${currentUser.name}`, orders };
  } finally {
    currentUser = previous;
  }
}
