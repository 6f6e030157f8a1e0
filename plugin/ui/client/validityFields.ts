// The validity choice of the create and regenerate dialogs: a number of months (preset to the
// server's default, at most the administrator's maximum) or until the end of a chosen day in
// the user's time zone (AUI date picker). A value above the maximum is flagged next to its
// field, never silently cut. The limits are those the server sent with the page.
import { addMonthsUtc } from '../../service/TokenValidity';
import type { PageContext } from './context';
import { attachDatePicker } from './datePicker';
import { Field, fieldset, radio, textInput, type ErrorTarget } from './forms';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The REST fields a validity is sent as (create and rotate take the same ones). */
export type ValidityBody = { tokenValidityTimeInMonths: number } | { tokenExpirationDateTime: string };

export interface ValidityFields {
  /** The fieldset with both choices. */
  readonly element: HTMLFieldSetElement;
  /** The error targets by REST field name (for the API's `errors` map). */
  readonly targets: Readonly<Record<string, ErrorTarget>>;
  readonly months: Field<HTMLInputElement>;
  readonly date: Field<HTMLInputElement>;
  /** The validity to send, or the field errors (by REST field name) found before sending. */
  read(): { body: ValidityBody } | { errors: Record<string, string> };
}

export function validityFields(ctx: PageContext): ValidityFields {
  const { t, clock, config } = ctx;
  const access = config.access;
  const now = clock.now();
  const latest = addMonthsUtc(now, access.maxValidityMonths);

  const byMonths = radio('validityKind', 'months', t('create.validityMonths'), true);
  const byDate = radio('validityKind', 'date', t('create.validityDate'));
  const monthsInput = textInput('tokenValidityTimeInMonths', {
    type: 'number', min: '1', max: String(access.maxValidityMonths), step: '1', inputmode: 'numeric', value: String(access.defaultValidityMonths),
  });
  const months = new Field(t('create.months'), monthsInput, { description: t('create.maxValidity', access.maxValidityMonths), className: 'ata-inline-field' });
  const dateInput = textInput('tokenExpirationDateTime', { disabled: true });
  const date = new Field(t('create.date'), dateInput, {
    description: t('create.dateHelp', clock.timeZone, clock.formatDate(latest)), className: 'ata-inline-field',
  });
  attachDatePicker(dateInput, ctx.lang, t('common.datePlaceholder'), { min: clock.isoDate(now + DAY_MS), max: clock.isoDate(latest) });
  const sync = (): void => {
    monthsInput.disabled = !byMonths.input.checked;
    dateInput.disabled = !byDate.input.checked;
  };
  byMonths.input.addEventListener('change', sync);
  byDate.input.addEventListener('change', sync);

  const element = fieldset(t('create.validity'), byMonths.wrapper, months.group, byDate.wrapper, date.group);

  function read(): { body: ValidityBody } | { errors: Record<string, string> } {
    if (byMonths.input.checked) {
      const raw = monthsInput.value.trim();
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1) return { errors: { tokenValidityTimeInMonths: t('create.errorMonths', access.maxValidityMonths) } };
      if (n > access.maxValidityMonths) return { errors: { tokenValidityTimeInMonths: t('create.errorAboveMaximum', access.maxValidityMonths) } };
      return { body: { tokenValidityTimeInMonths: n } };
    }
    const end = clock.zonedToEpoch(dateInput.value.trim(), '23:59:59.999');
    if (!Number.isFinite(end)) return { errors: { tokenExpirationDateTime: t('create.errorDate') } };
    if (end <= clock.now()) return { errors: { tokenExpirationDateTime: t('create.errorDatePast') } };
    if (end > latest) return { errors: { tokenExpirationDateTime: t('create.errorDateAboveMaximum', clock.formatDate(latest)) } };
    return { body: { tokenExpirationDateTime: clock.isoWithOffset(end) } };
  }

  return {
    element, months, date, read,
    targets: { tokenValidityTimeInMonths: months, tokenExpirationDateTime: date, tokenExpirationDateTimeMillis: date },
  };
}
