import { notFound } from "next/navigation";
import { floorDb } from "../../../db";

type Line = { id: number; placed_at: string; product: string; price: number };

export default async function Customer({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  const customer = floorDb().prepare("select name, email, phone from customers where id = ?").get(id) as
    { name: string; email: string; phone: string } | undefined;
  if (!customer) notFound();
  const lines = floorDb()
    .prepare("select id, placed_at, product, price from order_lines where customer_id = ? order by placed_at desc limit 50")
    .all(id) as Line[];
  return (
    <main>
      <h1 id="customer-name">{customer.name}</h1>
      <p>
        {customer.email} · {customer.phone}
      </p>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Purchase history</h2>
        <ol>
          {lines.map((l) => (
            <li key={l.id}>
              {l.placed_at} {l.product} £{(l.price / 100).toFixed(2)}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
