"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { changeStaffRoleAction, createStaffAction, setStaffActiveAction } from "@/lib/actions/hq";
import { PinForm } from "../team/pin-form";
import { Button } from "../ui/button";
import { Field, TextField, inputClass } from "../ui/field";
import { SaveBar } from "../ui/save-bar";
import { fieldErrorsOf, unwrap } from "../ui/unwrap";
import { Choices, labelled, named } from "@/components/ui/choices";

type StoreOption = { id: number; name: string };

/** Role and home store go together: head office has none, everyone else exactly one. */
function RoleAndStore({
  idPrefix,
  role,
  storeId,
  stores,
  errors,
  onRole,
  onStore,
}: {
  idPrefix: string;
  role: Role;
  storeId: string;
  stores: StoreOption[];
  errors: Record<string, string[]>;
  onRole: (r: Role) => void;
  onStore: (s: string) => void;
}) {
  const storeError = errors.homeStoreId?.[0];
  return (
    <>
      <Field id={`${idPrefix}-role`} label="Role" error={errors.role?.[0]}>
        {(control) => (
          <select {...control} value={role} onChange={(e) => onRole(e.target.value as Role)} className={inputClass}>
            <Choices of={labelled(ROLE_LABELS)} />
          </select>
        )}
      </Field>
      <Field id={`${idPrefix}-store`} label="Home store" error={storeError}>
        {(control) => (
          <select {...control} value={role === "hq" ? "" : storeId} disabled={role === "hq"} onChange={(e) => onStore(e.target.value)} className={inputClass}>
            <option value="">{role === "hq" ? "None (all stores)" : "Choose a store"}</option>
            <Choices of={named(stores)} />
          </select>
        )}
      </Field>
    </>
  );
}

const storeIdOf = (role: Role, storeId: string) => (role === "hq" || storeId === "" ? null : Number(storeId));

export function NewStaffForm({ stores }: { stores: StoreOption[] }) {
  const router = useRouter();
  const empty = { name: "", email: "", role: "associate" as Role, storeId: "", password: "" };
  const [form, setForm] = useState(empty);
  const set = (patch: Partial<typeof empty>) => setForm((f) => ({ ...f, ...patch }));
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        createStaffAction({ name: form.name, email: form.email, role: form.role, homeStoreId: storeIdOf(form.role, form.storeId), password: form.password }),
      ),
    onSuccess: () => {
      setForm(empty);
      router.refresh();
    },
  });
  const errors = fieldErrorsOf(create.error);
  const text = (field: "name" | "email" | "password", label: string, extra: { type?: string; hint?: string; autoComplete?: string } = {}) => (
    <TextField
      id={`new-${field}`}
      label={label}
      error={errors[field]?.[0]}
      value={form[field]}
      onText={(v) => set({ [field]: v })}
      autoComplete="off"
      {...extra}
    />
  );
  const submit = (e: FormEvent) => (e.preventDefault(), create.mutate());
  return (
    <form onSubmit={submit} noValidate aria-label="New staff member" className="flex flex-col gap-4 rounded-3xl bg-white p-5 ring-1 ring-stone-200">
      <h2 className="text-lg font-bold">New staff member</h2>
      <div className="grid gap-4 sm:grid-cols-2">
        {text("name", "Name")}
        {text("email", "Work email", { type: "email" })}
        <RoleAndStore
          idPrefix="new"
          role={form.role}
          storeId={form.storeId}
          stores={stores}
          errors={errors}
          onRole={(role) => set({ role })}
          onStore={(storeId) => set({ storeId })}
        />
        {text("password", "Initial password", { hint: "Leave empty to generate one, shown once.", autoComplete: "new-password" })}
      </div>
      <SaveBar label={create.isPending ? "Creating…" : "Create account"} pending={create.isPending} error={create.error} />
      {create.isSuccess && (
        <div role="status" className="rounded-2xl bg-emerald-50 p-4 ring-1 ring-emerald-200">
          <p className="font-semibold">Account created.</p>
          <p>
            Password:{" "}
            <code data-testid="new-password" className="rounded bg-white px-2 py-1 font-mono text-lg">
              {create.data.password}
            </code>
          </p>
          <p className="text-sm text-stone-700">{create.data.generated ? "Give it to them now: it is not shown again." : "The password you chose."}</p>
        </div>
      )}
    </form>
  );
}

export function StaffRowActions({
  staff,
  stores,
  isMe,
}: {
  staff: { id: number; name: string; role: Role; homeStoreId: number | null; active: boolean };
  stores: StoreOption[];
  isMe: boolean;
}) {
  const router = useRouter();
  const [role, setRole] = useState<Role>(staff.role);
  const [storeId, setStoreId] = useState(staff.homeStoreId === null ? "" : String(staff.homeStoreId));
  const save = useMutation({
    mutationFn: () => unwrap(changeStaffRoleAction({ staffId: staff.id, role, homeStoreId: storeIdOf(role, storeId) })),
    onSuccess: () => router.refresh(),
  });
  const toggle = useMutation({
    mutationFn: () => unwrap(setStaffActiveAction({ staffId: staff.id, active: !staff.active })),
    onSuccess: () => router.refresh(),
  });
  const errors = fieldErrorsOf(save.error);
  const dirty = role !== staff.role || storeIdOf(role, storeId) !== staff.homeStoreId;
  const prefix = `staff-${staff.id}`;
  const submit = (e: FormEvent) => (e.preventDefault(), save.mutate());
  const error = save.error ?? toggle.error;
  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={submit} noValidate aria-label={`Role of ${staff.name}, account ${staff.id}`} className="flex flex-wrap items-end gap-3">
        <RoleAndStore idPrefix={prefix} role={role} storeId={storeId} stores={stores} errors={errors} onRole={setRole} onStore={setStoreId} />
        <Button type="submit" variant="secondary" disabled={!dirty || save.isPending}>
          Save
        </Button>
        {!isMe && (
          <Button
            type="button"
            variant={staff.active ? "ghost" : "primary"}
            disabled={toggle.isPending}
            onClick={() => toggle.mutate()}
            aria-label={`${staff.active ? "Disable" : "Enable"} ${staff.name}`}
          >
            {staff.active ? "Disable" : "Enable"}
          </Button>
        )}
      </form>
      {error && !errors.homeStoreId && (
        <p role="alert" className="text-sm text-red-800">
          {error.message}
        </p>
      )}
      {staff.active && staff.role === "associate" && <PinForm staffId={staff.id} name={staff.name} />}
    </div>
  );
}
