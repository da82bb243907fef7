// Channel names and labels for the screens. The stored values (CHANNELS, FOLLOW_UP_CHANNELS) are the
// column enums in db/schema.ts; the labels are typed against them, so a new channel fails to compile
// here until it has a label. Only types come from db/, so client components can import this file.
import type { Channel, ConsentState, FollowUpChannel } from "@/db/schema";

export type { Channel, ConsentState, FollowUpChannel };

/** Where a purchase or interaction happened. */
export const CHANNEL_LABELS: Record<Channel, string> = { store: "In store", online: "Online", app: "App" };

/** For a channel read as plain text: its label, or the text itself when it is not one. */
export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel as Channel] ?? channel;
}

/** What a customer may consent to be contacted by. */
export const CONSENT_CHANNELS = ["email", "sms", "post"] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_LABELS: Record<ConsentChannel, string> = { email: "Email", sms: "Text messages", post: "Post" };

export const FOLLOW_UP_CHANNEL_LABELS: Record<FollowUpChannel, string> = {
  in_store: "In store",
  email: "Email",
  sms: "Text message",
  phone: "Phone call",
  post: "Post",
};
