import type { MetadataRoute } from "next";

/** Pinned to a store tablet's home screen, the app opens full screen in either orientation. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Clientele",
    short_name: "Clientele",
    description: "Know every customer who walks in.",
    start_url: "/",
    scope: "/",
    display: "fullscreen",
    display_override: ["fullscreen", "standalone"],
    orientation: "any",
    background_color: "#fafaf9",
    theme_color: "#1f6f66",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
      { src: "/icons/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
    ],
  };
}
