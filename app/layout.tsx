import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { ServiceWorker } from "@/components/offline/service-worker";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Clientele", template: "%s · Clientele" },
  description: "Know every customer who walks in.",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "48x48" },
      { url: "/icons/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/icons/apple-touch-icon.png",
  },
  appleWebApp: { capable: true, title: "Clientele", statusBarStyle: "default" },
};
export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#1f6f66" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so Next can stamp this response's CSP nonce on its scripts (proxy.ts).
  await connection();
  return (
    <html lang="en-GB">
      <body className="min-h-dvh">
        <Providers>{children}</Providers>
        <ServiceWorker />
      </body>
    </html>
  );
}
