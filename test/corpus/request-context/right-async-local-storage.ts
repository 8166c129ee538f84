// Source: guardian/gateway#2890 (request information through AsyncLocalStorage) and
// nestjs-steroids/async-context#23 — run() gives each request its own store, which follows it
// across every await. (Needs 'node:async_hooks' among the imports the sandbox allows.)
import { AsyncLocalStorage } from 'node:async_hooks';

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

const requestUser = new AsyncLocalStorage<User>();

function currentUser(): User {
  const user = requestUser.getStore();
  if (!user) throw new Error('no user: not inside a request');
  return user;
}

function loadOrders(ports: Ports): Promise<string[]> {
  return ports.orders.listFor(currentUser().id);
}

function audit(ports: Ports, action: string): Promise<void> {
  return ports.audit.record(currentUser().id, action);
}

export async function ordersPage(ports: Ports, token: string): Promise<Page> {
  const user = await ports.sessions.userFor(token);
  return requestUser.run(user, async () => {
    const orders = await loadOrders(ports);
    await audit(ports, 'viewed orders');
    return { greeting: `Hello, ${currentUser().name}`, orders };
  });
}
