import Database from "better-sqlite3";

let db: Database.Database | undefined;

export function floorDb(): Database.Database {
  db ??= new Database(process.env.FLOOR_DB ?? "", { readonly: true });
  return db;
}

/** customers(id, name, email, phone) and 50 order lines each: the least a profile needs to show. */
export function seedFloor(file: string, customers: number): void {
  const w = new Database(file);
  w.exec(`create table customers (id integer primary key, name text not null, email text not null unique, phone text not null unique);
    create table order_lines (id integer primary key, customer_id integer not null, placed_at text not null, product text not null, price integer not null);
    create index order_lines_customer on order_lines (customer_id, placed_at);`);
  const customer = w.prepare("insert into customers values (?, ?, ?, ?)");
  const line = w.prepare("insert into order_lines (customer_id, placed_at, product, price) values (?, ?, ?, ?)");
  w.transaction(() => {
    for (let id = 1; id <= customers; id++) {
      customer.run(id, floorName(id), floorEmail(id), floorPhone(id));
      for (let j = 0; j < 50; j++)
        line.run(id, new Date(Date.UTC(2024, 0, 1) + (id * 50 + j) * 60_000).toISOString(), `Product ${(id * 7 + j) % 3000}`, 1000 + ((id + j) % 9000));
    }
  })();
  w.close();
}

export const floorName = (id: number) => `Customer Number${id}`;
export const floorEmail = (id: number) => `customer${id}@example.com`;
export const floorPhone = (id: number) => `+447${String(700_000_000 + id).padStart(9, "0")}`;
