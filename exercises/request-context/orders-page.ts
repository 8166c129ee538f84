/**
 * The "My orders" page of a web shop. Every request carries a session token; the handler finds
 * whose it is, lists that customer's orders, writes an audit entry, and renders the page. One Node
 * process serves many requests at once.
 */
export interface User {
  id: string;
  name: string;
}

export interface Ports {
  /** Rejects when the token belongs to nobody. */
  sessions: { userFor(token: string): Promise<User> };
  orders: { listFor(userId: string): Promise<string[]> };
  audit: { record(userId: string, action: string): Promise<void> };
}

export interface Page {
  /** Shown as "Hello, <name>". */
  greeting: string;
  orders: string[];
}

/** The user of the request being served. */
let currentUser: User | null = null;

async function authenticate(ports: Ports, token: string): Promise<void> {
  currentUser = await ports.sessions.userFor(token);
}

function loadOrders(ports: Ports): Promise<string[]> {
  return ports.orders.listFor(currentUser!.id);
}

function audit(ports: Ports, action: string): Promise<void> {
  return ports.audit.record(currentUser!.id, action);
}

/** Serves GET /orders for the session `token`. */
export async function ordersPage(ports: Ports, token: string): Promise<Page> {
  await authenticate(ports, token);
  const orders = await loadOrders(ports);
  await audit(ports, 'viewed orders');
  return { greeting: `Hello, ${currentUser!.name}`, orders };
}
