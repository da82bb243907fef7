import type { ControlProps } from "../ui/field";
import { inputClass } from "../ui/field";
import { Choices } from "@/components/ui/choices";

/** ISO 3166 alpha-2 codes as libphonenumber knows them (the server checks against the same list). */
export function CountrySelect({
  control,
  value,
  onChange,
  countries,
}: {
  control: ControlProps;
  value: string;
  onChange: (code: string) => void;
  countries: string[];
}) {
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
      <Choices of={countries} />
    </select>
  );
}
