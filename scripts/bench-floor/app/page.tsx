"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { lookup } from "./actions";

export default function Find() {
  const router = useRouter();
  const [query, setQuery] = useState("");
  const [none, setNone] = useState(false);
  return (
    <form
      role="search"
      onSubmit={async (e) => {
        e.preventDefault();
        const id = await lookup(query);
        if (id === null) setNone(true);
        else router.push(`/customers/${id}`);
      }}
    >
      <input type="search" aria-label="Loyalty ID, phone number, email or name" value={query} onChange={(e) => setQuery(e.target.value)} />
      <button type="submit">Find</button>
      {none && <p>No customer found</p>}
    </form>
  );
}
