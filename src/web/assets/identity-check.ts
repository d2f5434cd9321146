// The script that checks the identity number as it is typed on the registration form: length, characters, check
// character (GB 11643, ISO 7064 MOD 11-2), birth date and region code, in the order and with the
// words of src/domain/identity-number.ts, so that the browser and the server say the same thing.
// The region codes and the words come from the server (/assets/identity-rules.json, made from the
// domain's own table), so only the arithmetic is written twice here; a unit test holds the two
// to the same verdict on many numbers. Progressive enhancement only: the form works without this
// script, and the server's verdict on submit is final. Nothing here sends the number anywhere.
//
// Served as /assets/identity-check.js. Kept as text in a module, as the stylesheet is (app-css.ts),
// so that the service reads no file at run time and needs no build step; the text is plain
// browser JavaScript with no template literal inside (String.raw keeps its regular expressions as written).
export const IDENTITY_CHECK_JS = String.raw`(() => {
  const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const CHECK_CHARACTERS = '10X98765432';
  const EARLIEST_BIRTH_YEAR = 1900;

  function daysInMonth(year, month) {
    if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
    return [4, 6, 9, 11].includes(month) ? 30 : 31;
  }

  function pad(n, width) {
    return String(n).padStart(width, '0');
  }

  /**
   * 'ok' or the domain's failure code (length, characters, check_digit, birth_date, region).
   * rules.blocks: 4-digit prefixes under which every code is known; rules.codes: other known codes.
   */
  function verdict(input, today, rules) {
    if (typeof input !== 'string') return 'characters';
    const text = input.trim();
    if ([...text].length !== 18) return 'length';
    const normalised = text.slice(0, 17) + (text[17] === 'x' ? 'X' : text.slice(17));
    if (!/^\d{17}[\dX]$/.test(normalised)) return 'characters';
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(normalised[i]) * WEIGHTS[i];
    if (CHECK_CHARACTERS[sum % 11] !== normalised[17]) return 'check_digit';
    const year = Number(normalised.slice(6, 10));
    const month = Number(normalised.slice(10, 12));
    const day = Number(normalised.slice(12, 14));
    if (year < EARLIEST_BIRTH_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'birth_date';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || pad(year, 4) + '-' + pad(month, 2) + '-' + pad(day, 2) > today) return 'birth_date';
    const region = normalised.slice(0, 6);
    if (!rules.blocks.includes(region.slice(0, 4)) && !rules.codes.includes(region)) return 'region';
    return 'ok';
  }

  /** What the live region says while the number is typed: nothing until there is something to say. */
  function sentence(input, today, rules) {
    const text = input.trim();
    if (text.length === 0) return '';
    // While the number is being typed, say how far it has come, or at once that a character is wrong.
    if ([...text].length < 18) return /^\d*$/.test(text) ? '已输入 ' + text.length + ' 位，共 18 位。' : rules.messages.characters;
    const result = verdict(input, today, rules);
    return result === 'ok' ? rules.ok : rules.messages[result];
  }

  globalThis.identityNumberCheck = { verdict, sentence };
  if (typeof document === 'undefined') return;

  const field = document.querySelector('input[data-identity-check]');
  const live = field && document.getElementById(field.getAttribute('data-identity-check'));
  if (!field || !live) return;
  fetch('/assets/identity-rules.json')
    .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
    .then((rules) => {
      const today = field.getAttribute('data-today') || '';
      const show = () => {
        live.textContent = sentence(field.value, today, rules);
      };
      field.addEventListener('input', show);
      if (field.value) show();
    })
    .catch(() => {
      // Without the rules the page still works: the server checks the number on submit.
    });
})();
`;
