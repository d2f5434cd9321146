// How pages write times: in Beijing time (Asia/Shanghai), Chinese style, 24-hour clock.
const LONG = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long', timeStyle: 'medium', hourCycle: 'h23' });
const SHORT = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });

/** An instant with its seconds, e.g. for when a check ran: 2026年12月7日 12:02:36. */
export const beijingTime = (at: Date | string): string => LONG.format(new Date(at));

/** An instant to the minute, for lists: 2026年12月7日 12:10. */
export const beijingMinute = (at: Date | string): string => SHORT.format(new Date(at));
