import { getCountries } from "libphonenumber-js/max";
import { HqNav } from "@/components/hq/hq-nav";
import { BlockedValues, IdentityFieldsForm } from "@/components/hq/identity-forms";
import { HouseholdCredits } from "@/components/hq/household-credits";
import { MatchModelTable } from "@/components/hq/match-model-table";
import { MatchThresholdsForm } from "@/components/hq/match-thresholds-form";
import { withDb } from "@/lib/actions/app-db";
import { IDENTIFIER_TYPES } from "@/db/schema";
import { requireStaff } from "@/lib/actions/session";
import { loadIdentitySettings, loadMatchModel, storedIdentitySettings } from "@/lib/identity/settings";
import { Panel } from "@/components/ui/panel";

export const metadata = { title: "Identity settings" };

export default async function IdentitySettingsPage() {
  await requireStaff(["hq"]);
  const settings = withDb(storedIdentitySettings);
  const ownBlocked = new Set(settings.blocked.phone);
  const storePhones = withDb(loadIdentitySettings).blocked.phone.filter((p) => !ownBlocked.has(p));
  const { loyalty } = settings;
  const model = withDb(loadMatchModel);
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/identity" />
      <h1 className="text-2xl font-bold">Identity settings</h1>
      <Panel headingId="matching" title="Matching" className="flex flex-col gap-4">
        <IdentityFieldsForm
          defaultCountry={settings.defaultCountry}
          maxProfilesPerIdentifier={settings.maxProfilesPerIdentifier}
          countries={getCountries().slice().sort()}
        />
        <p className="text-sm text-stone-700">
          Loyalty IDs: {loyalty.prefix ? `“${loyalty.prefix}” then ` : ""}
          {loyalty.digits} digits{loyalty.checkDigit === "luhn" ? ", the last a Luhn check digit" : ""}. The scheme is fixed at installation: changing it would
          stop existing cards matching.
        </p>
      </Panel>
      <Panel headingId="model" title="Match model" className="flex flex-col gap-4">
        <MatchModelTable model={model} />
        <HouseholdCredits model={model} />
        <MatchThresholdsForm automatic={settings.matchThresholds.automatic} review={settings.matchThresholds.review} />
      </Panel>
      <Panel headingId="blocked" title="Blocked values" className="flex flex-col gap-4">
        <p className="text-stone-600">
          Placeholders such as a shop&apos;s spare card or &quot;noemail@…&quot; never link two customers. A new block applies to records received from now on;
          profiles already linked through it stay as they are.
        </p>
        <div className="grid gap-4">
          {IDENTIFIER_TYPES.map((type) => (
            <BlockedValues key={type} type={type} values={settings.blocked[type]} />
          ))}
        </div>
        <p className="text-sm text-stone-700">
          Also always blocked: the stores&apos; own phone numbers ({storePhones.length === 0 ? "none set" : storePhones.join(", ")}, set on the Stores page),
          numbers of one repeated digit, and emails whose name part is {settings.blockedEmailLocalParts.slice(0, 6).join(", ")} and similar.
        </p>
      </Panel>
    </div>
  );
}
