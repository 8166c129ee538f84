// Source: mikedeboer/jsDAV#132 (a single handler instance keeps currentUser, and concurrent requests
// mix users) — moving the variable into a singleton object changes nothing: it is still shared.
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

class OrdersHandler {
  private user: User | null = null;

  async serve(ports: Ports, token: string): Promise<Page> {
    this.user = await ports.sessions.userFor(token);
    const orders = await ports.orders.listFor(this.user.id);
    await ports.audit.record(this.user.id, 'viewed orders');
    return { greeting: `Hello, ${this.user.name}`, orders };
  }
}

const handler = new OrdersHandler();

export function ordersPage(ports: Ports, token: string): Promise<Page> {
  return handler.serve(ports, token);
}
