// AUI's date picker on a date field, with month and day names from `Intl` in the user's
// language (AUI's own names come from Jira's web-resource i18n, which a plugin page lacks).
// The field stays a text input in `YYYY-MM-DD`, so typing a date works as well as picking one.

interface DatePickerLocalisations {
  dayNames: string[];
  dayNamesMin: string[];
  firstDay: number;
  isRTL: boolean;
  monthNames: string[];
  showMonthAfterYear: boolean;
  yearSuffix: string;
}

interface DatePickerClass {
  prototype: { localisations: DatePickerLocalisations };
}

let localisedFor: string | null = null;

function localise(languageTag: string): void {
  const picker = (window.AJS as unknown as { DatePicker?: DatePickerClass } | undefined)?.DatePicker;
  if (!picker || localisedFor === languageTag) return;
  localisedFor = languageTag;
  // 2023-01-01 was a Sunday: days 1..7 are Sunday..Saturday.
  const day = (d: number, weekday: 'long' | 'short') => new Intl.DateTimeFormat(languageTag, { weekday, timeZone: 'UTC' }).format(Date.UTC(2023, 0, d));
  const month = (m: number) => new Intl.DateTimeFormat(languageTag, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2023, m, 1));
  const weekInfo = (new Intl.Locale(languageTag) as Intl.Locale & { weekInfo?: { firstDay: number }; getWeekInfo?: () => { firstDay: number } });
  const firstDay = (weekInfo.getWeekInfo?.() ?? weekInfo.weekInfo)?.firstDay ?? (languageTag.startsWith('en-US') || languageTag === 'en' ? 7 : 1);
  picker.prototype.localisations = {
    dayNames: [1, 2, 3, 4, 5, 6, 7].map((d) => day(d, 'long')),
    dayNamesMin: [1, 2, 3, 4, 5, 6, 7].map((d) => day(d, 'short')),
    firstDay: firstDay % 7,
    isRTL: false,
    monthNames: [...Array(12).keys()].map(month),
    showMonthAfterYear: false,
    yearSuffix: '',
  };
}

/** Turns `input` into an AUI date picker (`YYYY-MM-DD`); min/max in the same format. */
export function attachDatePicker(input: HTMLInputElement, languageTag: string, placeholder: string, limits: { min?: string; max?: string } = {}): void {
  input.classList.add('aui-date-picker');
  input.setAttribute('placeholder', placeholder);
  input.setAttribute('inputmode', 'numeric');
  const AJS = window.AJS;
  if (!AJS) return;
  localise(languageTag);
  const picker = AJS.$(input).datePicker({ overrideBrowserDefault: true, dateFormat: 'yy-mm-dd', minDate: limits.min, maxDate: limits.max });
  // Escape with the calendar open closes the calendar only. AUI listens on <body>, which a dialog
  // around the field never lets the key reach: the dialog closed instead, with all that was typed.
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || input.getAttribute('aria-expanded') !== 'true' || !picker.hide) return;
    event.preventDefault();
    event.stopPropagation();
    picker.hide();
  });
  // AUI marks the field as opening its calendar (aria-expanded, aria-controls): that is the
  // date picker combobox pattern of the ARIA practices, so the field says it is one.
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-haspopup', 'dialog');
  input.setAttribute('aria-autocomplete', 'none');
}
