import { CustomerLookup } from "@/components/lookup/customer-lookup";

export const metadata = { title: "Find a customer" };

export default function LookupPage() {
  return <CustomerLookup />;
}
