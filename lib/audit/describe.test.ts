import { describe, expect, it } from "vitest";
import { actionLabel, describeAuditDetail } from "./describe";

describe("audit entries in words", () => {
  it("names known actions plainly and unknown ones from their code", () => {
    expect(actionLabel("customer.lookup")).toBe("Looked up a customer");
    expect(actionLabel("hq.things.reset")).toBe("Things reset");
  });

  it("turns details into sentences, never JSON", () => {
    expect(describeAuditDetail("customer.lookup", { by: "name", matches: 3 })).toBe("Searched by name; 3 matches.");
    expect(describeAuditDetail("customer.lookup", { by: "identifier", matches: 1 })).toBe("Searched by card, phone or email; 1 match.");
    expect(describeAuditDetail("consent.change", { channel: "sms", granted: false })).toBe("Text messages consent withdrawn.");
    expect(describeAuditDetail("customer.enrol", { consents: { email: true, sms: false, post: true } })).toBe("Consent given for email, post.");
    expect(describeAuditDetail("hq.source.update", { sourceId: 2, name: "pos", changes: { trustRank: 1 } })).toBe(
      "Source id: 2; name: pos; changes: trust rank 1.",
    );
    expect(describeAuditDetail("followup.done", {})).toBe("");
    for (const text of [describeAuditDetail("hq.store.create", { storeId: 3, code: "YRK", open: true }), describeAuditDetail("x", { a: [1, 2] })]) {
      expect(text).not.toMatch(/[{}"]/);
    }
  });
});
