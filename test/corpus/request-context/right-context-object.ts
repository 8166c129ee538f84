// Source: reshufflehq/reshuffle#386 (pass the context as a parameter instead) — one context object
// per request, created by the handler and handed to every helper.
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

class RequestContext {
  constructor(
    readonly ports: Ports,
    readonly user: User,
  ) {}

  orders(): Promise<string[]> {
    return this.ports.orders.listFor(this.user.id);
  }

  audit(action: string): Promise<void> {
    return this.ports.audit.record(this.user.id, action);
  }
}

export async function ordersPage(ports: Ports, token: string): Promise<Page> {
  const context = new RequestContext(ports, await ports.sessions.userFor(token));
  const orders = await context.orders();
  await context.audit('viewed orders');
  return { greeting: `Hello, ${context.user.name}`, orders };
}
