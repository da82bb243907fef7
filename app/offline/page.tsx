import { OfflineNotice } from "@/components/offline/offline-notice";

export const metadata = { title: "Offline" };

/** Precached by the service worker and shown for any page opened while the network is down. */
export default function OfflinePage() {
  return <OfflineNotice />;
}
