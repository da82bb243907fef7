"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { BulkActions } from "@/components/book/bulk-actions";
import { Button } from "@/components/ui/button";
import { useSelectedCustomers } from "./customer-table";

/** The client book's bulk assign and follow-up, on the customers ticked in a list page. */
export function ListBulkActions({ storeId }: { storeId: number }) {
  const { profileIds, clear } = useSelectedCustomers();
  const [open, setOpen] = useState(false);
  const router = useRouter();
  return (
    <>
      <Button type="button" variant="secondary" className="text-sm" disabled={profileIds.length === 0} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Assign or follow up…
      </Button>
      {open && (
        <div className="basis-full">
          <BulkActions
            storeId={storeId}
            profileIds={profileIds}
            onDone={() => {
              clear();
              router.refresh();
            }}
          />
        </div>
      )}
    </>
  );
}
