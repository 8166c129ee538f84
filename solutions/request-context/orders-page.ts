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

// The user is confined to the request: it travels as an argument, never through shared state, so
// another request's await cannot swap it.

function authenticate(ports: Ports, token: string): Promise<User> {
  return ports.sessions.userFor(token);
}

function loadOrders(ports: Ports, user: User): Promise<string[]> {
  return ports.orders.listFor(user.id);
}

function audit(ports: Ports, user: User, action: string): Promise<void> {
  return ports.audit.record(user.id, action);
}

/** Serves GET /orders for the session `token`. */
export async function ordersPage(ports: Ports, token: string): Promise<Page> {
  const user = await authenticate(ports, token);
  const orders = await loadOrders(ports, user);
  await audit(ports, user, 'viewed orders');
  return { greeting: `Hello, ${user.name}`, orders };
}
