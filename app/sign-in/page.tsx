import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { currentStaff } from "@/lib/actions/session";

export const metadata = { title: "Sign in" };

export default async function SignInPage() {
  if (await currentStaff()) redirect("/");
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="w-full max-w-md rounded-3xl bg-white p-8 shadow-sm ring-1 ring-stone-200">
        <h1 className="text-3xl font-bold text-brand-800">Clientele</h1>
        <p className="mt-1 mb-8 text-stone-600">Sign in to look up customers.</p>
        <SignInForm />
      </div>
    </main>
  );
}
