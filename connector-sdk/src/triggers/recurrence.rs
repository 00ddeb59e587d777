//! Recurrence schedules as Logic Apps defines them: frequency and interval, start time, time
//! zone (Windows names as the platform writes them, or IANA names), and schedules of hours,
//! minutes, week days and month days; sliding windows over them.
//!
//! Rules (see docs/decisions.md):
//! - without a start time the first run is "now"; later runs follow from it;
//! - a start time in the past: the first run is the first `start + k·interval` after now;
//! - `Second`, `Minute` and `Hour` intervals are elapsed time; `Day`, `Week` and `Month` are
//!   calendar steps in the time zone, keeping the local wall time across DST: a local time in
//!   the spring-forward gap runs one hour later, a time repeated at fall-back runs once;
//! - schedules: `hours`/`minutes` (Day, Week; Month too) replace the start's time of day,
//!   `weekDays` (Week) the start's day, `monthDays` (Month; -1 = the last day) the start's day of
//!   month; periods are counted from the start (weeks from the Monday of its week).

use crate::Error;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

/// `frequency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    /// Seconds (interval 1–9,999,999).
    Second,
    /// Minutes (1–72,000).
    Minute,
    /// Hours (1–12,000).
    Hour,
    /// Days (1–500).
    Day,
    /// Weeks (1–71).
    Week,
    /// Months (1–16).
    Month,
}

impl Frequency {
    fn max_interval(self) -> u32 {
        match self {
            Frequency::Second => 9_999_999,
            Frequency::Minute => 72_000,
            Frequency::Hour => 12_000,
            Frequency::Day => 500,
            Frequency::Week => 71,
            Frequency::Month => 16,
        }
    }

    fn seconds(self) -> Option<i64> {
        match self {
            Frequency::Second => Some(1),
            Frequency::Minute => Some(60),
            Frequency::Hour => Some(3600),
            _ => None,
        }
    }

    /// Reads `Second`…`Month` (any letter case).
    pub fn parse(s: &str) -> Option<Frequency> {
        Some(match s.to_ascii_lowercase().as_str() {
            "second" => Frequency::Second,
            "minute" => Frequency::Minute,
            "hour" => Frequency::Hour,
            "day" => Frequency::Day,
            "week" => Frequency::Week,
            "month" => Frequency::Month,
            _ => return None,
        })
    }
}

/// `schedule`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schedule {
    /// Hours of the day (0–23).
    pub hours: Vec<i8>,
    /// Minutes of the hour (0–59).
    pub minutes: Vec<i8>,
    /// Days of the week (Week).
    pub week_days: Vec<Weekday>,
    /// Days of the month, 1–31 or -1 for the last day (Month).
    pub month_days: Vec<i8>,
}

impl Schedule {
    fn is_empty(&self) -> bool {
        self.hours.is_empty()
            && self.minutes.is_empty()
            && self.week_days.is_empty()
            && self.month_days.is_empty()
    }
}

/// A recurrence.
#[derive(Debug, Clone, PartialEq)]
pub struct Recurrence {
    /// Unit of the interval.
    pub frequency: Frequency,
    /// How many units between runs.
    pub interval: u32,
    /// Local start time in `time_zone` (UTC when none).
    pub start: Option<DateTime>,
    /// The time zone.
    pub time_zone: TimeZone,
    /// Times within each period.
    pub schedule: Schedule,
}

fn bad(message: impl Into<String>) -> Error {
    Error::Request {
        operation: "recurrence".into(),
        message: message.into(),
    }
}

/// A Windows time zone name ("Pacific Standard Time") or an IANA one ("America/Los_Angeles").
pub fn time_zone(name: &str) -> Result<TimeZone, Error> {
    if name.eq_ignore_ascii_case("UTC") || name.eq_ignore_ascii_case("Coordinated Universal Time") {
        return Ok(TimeZone::UTC);
    }
    let iana = localzone::win_zone_to_iana(name, Some("001")).unwrap_or(name);
    TimeZone::get(iana).map_err(|_| {
        bad(format!(
            "unknown time zone `{name}`: give a Windows name (\"Pacific Standard Time\") or an IANA name (\"America/Los_Angeles\")"
        ))
    })
}

impl Recurrence {
    /// Every `interval` units, from now, in UTC.
    pub fn every(frequency: Frequency, interval: u32) -> Result<Recurrence, Error> {
        let r = Recurrence {
            frequency,
            interval,
            start: None,
            time_zone: TimeZone::UTC,
            schedule: Schedule::default(),
        };
        r.check()?;
        Ok(r)
    }

    fn check(&self) -> Result<(), Error> {
        let max = self.frequency.max_interval();
        if self.interval < 1 || self.interval > max {
            return Err(bad(format!(
                "the interval of a {:?} recurrence is 1 to {max}, not {}",
                self.frequency, self.interval
            )));
        }
        let s = &self.schedule;
        if s.hours.iter().any(|h| !(0..=23).contains(h)) {
            return Err(bad("schedule hours are 0 to 23"));
        }
        if s.minutes.iter().any(|m| !(0..=59).contains(m)) {
            return Err(bad("schedule minutes are 0 to 59"));
        }
        if s.month_days
            .iter()
            .any(|d| *d == 0 || !(-1..=31).contains(d))
        {
            return Err(bad(
                "schedule month days are 1 to 31, or -1 for the last day",
            ));
        }
        if !s.week_days.is_empty() && self.frequency != Frequency::Week {
            return Err(bad("schedule weekDays need frequency Week"));
        }
        if !s.month_days.is_empty() && self.frequency != Frequency::Month {
            return Err(bad("schedule monthDays need frequency Month"));
        }
        if (!s.hours.is_empty() || !s.minutes.is_empty()) && self.frequency.seconds().is_some() {
            return Err(bad(
                "schedule hours and minutes need frequency Day, Week or Month",
            ));
        }
        Ok(())
    }

    /// Reads the workflow form: `{"frequency": "Week", "interval": 1, "startTime":
    /// "2026-03-01T09:00:00", "timeZone": "Pacific Standard Time", "schedule": {"hours": [9],
    /// "minutes": [30], "weekDays": ["Monday"], "monthDays": [-1]}}`.
    pub fn from_config(v: &serde_json::Value) -> Result<Recurrence, Error> {
        let frequency = v
            .get("frequency")
            .and_then(|f| f.as_str())
            .and_then(Frequency::parse)
            .ok_or_else(|| bad("`frequency` is one of Second, Minute, Hour, Day, Week, Month"))?;
        let interval = v
            .get("interval")
            .map(|i| {
                let n = i
                    .as_u64()
                    .or_else(|| i.as_str().and_then(|s| s.trim().parse().ok()))
                    .ok_or_else(|| bad(format!("`interval` must be a whole number, not {i}")))?;
                u32::try_from(n).map_err(|_| {
                    bad(format!(
                        "`interval` {n} is more than any frequency allows (a Second interval is at most 9999999)"
                    ))
                })
            })
            .transpose()?
            .unwrap_or(1);
        let time_zone = match v.get("timeZone").and_then(|t| t.as_str()) {
            Some(name) => time_zone(name)?,
            None => TimeZone::UTC,
        };
        let start = match v.get("startTime").and_then(|s| s.as_str()) {
            None => None,
            Some(text) => Some(parse_start(text, &time_zone)?),
        };
        let mut schedule = Schedule::default();
        if let Some(s) = v.get("schedule") {
            let ints = |k: &str| -> Result<Vec<i8>, Error> {
                match s.get(k) {
                    None => Ok(Vec::new()),
                    Some(serde_json::Value::Array(a)) => a
                        .iter()
                        .map(|x| {
                            x.as_i64()
                                .and_then(|n| i8::try_from(n).ok())
                                .ok_or_else(|| bad(format!("schedule `{k}` holds numbers")))
                        })
                        .collect(),
                    Some(_) => Err(bad(format!("schedule `{k}` is a list"))),
                }
            };
            schedule.hours = ints("hours")?;
            schedule.minutes = ints("minutes")?;
            schedule.month_days = ints("monthDays")?;
            if let Some(days) = s.get("weekDays").and_then(|d| d.as_array()) {
                for d in days {
                    schedule.week_days.push(
                        d.as_str()
                            .and_then(weekday)
                            .ok_or_else(|| bad(format!("`{d}` is not a day of the week")))?,
                    );
                }
            }
        }
        let r = Recurrence {
            frequency,
            interval,
            start,
            time_zone,
            schedule,
        };
        r.check()?;
        Ok(r)
    }

    /// When to run first, given that the trigger starts at `now`.
    pub fn first_run(&self, now: Timestamp) -> Timestamp {
        match self.start {
            None if self.schedule.is_empty() => now,
            _ => self.next_after_from(now, now, true),
        }
    }

    /// The first run strictly after `after`, for a trigger started at `started` (the anchor
    /// of a recurrence without start time).
    pub fn next_after(&self, after: Timestamp, started: Timestamp) -> Timestamp {
        self.next_after_from(after, started, false)
    }

    fn anchor(&self, started: Timestamp) -> DateTime {
        match self.start {
            Some(s) => s,
            None => started.to_zoned(self.time_zone.clone()).datetime(),
        }
    }

    fn to_ts(&self, local: DateTime) -> Timestamp {
        // Compatible disambiguation: a time in a gap moves forward by the gap, a repeated time
        // takes its first occurrence.
        local
            .to_zoned(self.time_zone.clone())
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::MAX)
    }

    /// The first run at or after (`inclusive`) / strictly after `after`.
    fn next_after_from(&self, after: Timestamp, started: Timestamp, inclusive: bool) -> Timestamp {
        let anchor = self.anchor(started);
        let start_ts = self.to_ts(anchor);
        let ok = |t: Timestamp| t >= start_ts && (if inclusive { t >= after } else { t > after });
        let step = i64::from(self.interval);
        if let Some(unit) = self.frequency.seconds() {
            // Elapsed time from the start.
            let every = step * unit;
            let gap = after.duration_since(start_ts).as_secs();
            let mut k = if gap > 0 { gap / every } else { 0 };
            loop {
                let t = start_ts
                    .checked_add(SignedDuration::from_secs(k.saturating_mul(every)))
                    .unwrap_or(Timestamp::MAX);
                if ok(t) || t == Timestamp::MAX {
                    return t;
                }
                k += 1;
            }
        }
        // Calendar periods from the start's date (its week's Monday for Week).
        let first_day = match self.frequency {
            Frequency::Week => anchor
                .date()
                .checked_sub(i64::from(anchor.date().weekday().to_monday_zero_offset()).days())
                .unwrap_or(anchor.date()),
            Frequency::Month => anchor.date().first_of_month(),
            _ => anchor.date(),
        };
        let after_local = after.to_zoned(self.time_zone.clone()).datetime();
        let periods_before = match self.frequency {
            Frequency::Day => {
                first_day
                    .until(after_local.date())
                    .map(|s| i64::from(s.get_days()))
                    .unwrap_or(0)
                    / step
            }
            Frequency::Week => {
                first_day
                    .until(after_local.date())
                    .map(|s| i64::from(s.get_days()))
                    .unwrap_or(0)
                    / (7 * step)
            }
            _ => {
                let months = (i64::from(after_local.year()) - i64::from(first_day.year())) * 12
                    + i64::from(after_local.month())
                    - i64::from(first_day.month());
                months / step
            }
        };
        let first = (periods_before - 1).max(0);
        // Enough periods to find a run whatever the schedule (a month day 31 may be absent for
        // months); beyond that the schedule has no run at all.
        for k in first..first + 400 {
            let period = match self.frequency {
                Frequency::Day => first_day.checked_add((k * step).days()),
                Frequency::Week => first_day.checked_add((k * step * 7).days()),
                _ => first_day.checked_add((k * step).months()),
            };
            let Ok(period) = period else {
                return Timestamp::MAX;
            };
            let mut runs: Vec<Timestamp> = self
                .runs_in(period, anchor)
                .into_iter()
                .map(|l| self.to_ts(l))
                .collect();
            runs.sort();
            runs.dedup();
            if let Some(t) = runs.into_iter().find(|t| ok(*t)) {
                return t;
            }
        }
        Timestamp::MAX
    }

    /// The local run times of the period starting on `period`.
    fn runs_in(&self, period: Date, anchor: DateTime) -> Vec<DateTime> {
        let s = &self.schedule;
        let hours: Vec<i8> = if s.hours.is_empty() {
            vec![anchor.hour()]
        } else {
            s.hours.clone()
        };
        let minutes: Vec<i8> = if s.minutes.is_empty() {
            vec![anchor.minute()]
        } else {
            s.minutes.clone()
        };
        let second = if s.hours.is_empty() && s.minutes.is_empty() {
            anchor.second()
        } else {
            0
        };
        let days: Vec<Date> = match self.frequency {
            Frequency::Week if !s.week_days.is_empty() => s
                .week_days
                .iter()
                .filter_map(|w| {
                    period
                        .checked_add(i64::from(w.to_monday_zero_offset()).days())
                        .ok()
                })
                .collect(),
            Frequency::Week => period
                .checked_add(i64::from(anchor.date().weekday().to_monday_zero_offset()).days())
                .into_iter()
                .collect(),
            Frequency::Month => {
                let wanted: Vec<i8> = if s.month_days.is_empty() {
                    vec![anchor.day()]
                } else {
                    s.month_days.clone()
                };
                let last = period.days_in_month();
                wanted
                    .iter()
                    .filter_map(|d| {
                        let day = if *d == -1 {
                            last
                        } else if s.month_days.is_empty() {
                            // The start's day, constrained to the month's length.
                            (*d).min(last)
                        } else {
                            *d
                        };
                        (day <= last)
                            .then(|| Date::new(period.year(), period.month(), day).ok())
                            .flatten()
                    })
                    .collect()
            }
            _ => vec![period],
        };
        let mut out = Vec::new();
        for d in days {
            for h in &hours {
                for m in &minutes {
                    if let Ok(t) = Time::new(*h, *m, second, 0) {
                        out.push(d.to_datetime(t));
                    }
                }
            }
        }
        out
    }

    /// The complete windows `[start, end)` of a sliding-window trigger between `last_end` (the
    /// end of the last window processed; `None`: the first run's time) and `now`, oldest first:
    /// missed windows are backfilled.
    pub fn windows(
        &self,
        last_end: Option<Timestamp>,
        started: Timestamp,
        now: Timestamp,
    ) -> Vec<(Timestamp, Timestamp)> {
        let mut out = Vec::new();
        let mut from = last_end.unwrap_or_else(|| self.first_run(started));
        while out.len() < 10_000 {
            let to = self.next_after(from, started);
            if to > now || to == Timestamp::MAX {
                break;
            }
            out.push((from, to));
            from = to;
        }
        out
    }
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s.to_ascii_lowercase().as_str() {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

/// A start time: local (`2026-03-08T02:30:00`) in the time zone, or with `Z`/an offset (then
/// converted to the zone's local time, as the platform does).
fn parse_start(text: &str, tz: &TimeZone) -> Result<DateTime, Error> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts.to_zoned(tz.clone()).datetime());
    }
    text.parse::<DateTime>().map_err(|e| {
        bad(format!(
            "`startTime` `{text}` is not a date and time (e.g. 2026-03-08T09:00:00 or 2026-03-08T17:00:00Z): {e}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn runs(r: &Recurrence, now: &str, n: usize) -> Vec<String> {
        let now = ts(now);
        let mut t = r.first_run(now);
        let mut out = Vec::new();
        for _ in 0..n {
            out.push(
                t.to_zoned(r.time_zone.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string(),
            );
            t = r.next_after(t, now);
        }
        out
    }

    fn rec(v: serde_json::Value) -> Recurrence {
        Recurrence::from_config(&v).unwrap()
    }

    #[test]
    fn without_start_time_the_first_run_is_now() {
        let r = rec(json!({"frequency": "Minute", "interval": 15}));
        assert_eq!(
            runs(&r, "2026-11-22T10:07:30Z", 3),
            [
                "2026-11-22T10:07:30+00:00",
                "2026-11-22T10:22:30+00:00",
                "2026-11-22T10:37:30+00:00"
            ]
        );
    }

    #[test]
    fn a_past_start_time_runs_at_the_first_start_plus_k_intervals_after_now() {
        // Every 2 days from 5 Sept 14:00; now 8 Sept 13:00 → 9 Sept 14:00, then 11 Sept.
        let r =
            rec(json!({"frequency": "Day", "interval": 2, "startTime": "2017-09-05T14:00:00Z"}));
        assert_eq!(
            runs(&r, "2017-09-08T13:00:00Z", 2),
            ["2017-09-09T14:00:00+00:00", "2017-09-11T14:00:00+00:00"]
        );
        // A future start time: the start itself.
        assert_eq!(
            runs(&r, "2017-09-01T00:00:00Z", 1),
            ["2017-09-05T14:00:00+00:00"]
        );
        // Every 7 seconds from a start 26 years ago (elapsed 5 mod 7 at 10:00:00): computed,
        // not walked through.
        let r =
            rec(json!({"frequency": "Second", "interval": 7, "startTime": "2000-01-01T00:00:00Z"}));
        assert_eq!(
            runs(&r, "2026-11-22T10:00:00Z", 1),
            ["2026-11-22T10:00:02+00:00"]
        );
    }

    #[test]
    fn intervals_are_bounded_as_documented() {
        for (f, max) in [
            ("Second", 9_999_999),
            ("Minute", 72_000),
            ("Hour", 12_000),
            ("Day", 500),
            ("Week", 71),
            ("Month", 16),
        ] {
            assert!(Recurrence::from_config(&json!({"frequency": f, "interval": max})).is_ok());
            let e =
                Recurrence::from_config(&json!({"frequency": f, "interval": max + 1})).unwrap_err();
            assert!(e.to_string().contains(&format!("1 to {max}")), "{e}");
            assert!(Recurrence::from_config(&json!({"frequency": f, "interval": 0})).is_err());
        }
        assert!(Recurrence::from_config(&json!({"frequency": "Fortnight"})).is_err());
    }

    #[test]
    fn windows_time_zone_names_and_dst_keep_the_wall_time() {
        // Daily at 02:30 Pacific: on 8 March 2026 02:30 does not exist (spring forward) → 03:30
        // local; on 1 November 01:30 happens twice (fall back) → once.
        let r = rec(
            json!({"frequency": "Day", "interval": 1, "startTime": "2026-03-06T02:30:00",
                           "timeZone": "Pacific Standard Time"}),
        );
        assert_eq!(
            runs(&r, "2026-03-06T00:00:00Z", 4),
            [
                "2026-03-06T02:30:00-08:00",
                "2026-03-07T02:30:00-08:00",
                "2026-03-08T03:30:00-07:00",
                "2026-03-09T02:30:00-07:00"
            ]
        );
        let r = rec(
            json!({"frequency": "Day", "interval": 1, "startTime": "2026-10-31T01:30:00",
                           "timeZone": "America/Los_Angeles"}),
        );
        assert_eq!(
            runs(&r, "2026-10-31T00:00:00Z", 3),
            [
                "2026-10-31T01:30:00-07:00",
                "2026-11-01T01:30:00-07:00",
                "2026-11-02T01:30:00-08:00"
            ]
        );
        // Hours are elapsed time: every hour across the fall-back night runs 01:30 twice.
        let r = rec(
            json!({"frequency": "Hour", "interval": 1, "startTime": "2026-11-01T00:30:00",
                           "timeZone": "Pacific Standard Time"}),
        );
        assert_eq!(
            runs(&r, "2026-11-01T00:00:00Z", 4),
            [
                "2026-11-01T00:30:00-07:00",
                "2026-11-01T01:30:00-07:00",
                "2026-11-01T01:30:00-08:00",
                "2026-11-01T02:30:00-08:00"
            ]
        );
        assert!(Recurrence::from_config(
            &json!({"frequency": "Day", "timeZone": "Mars Standard Time"})
        )
        .is_err());
        assert_eq!(
            time_zone("W. Europe Standard Time").unwrap().iana_name(),
            Some("Europe/Berlin")
        );
    }

    #[test]
    fn schedules_of_hours_minutes_week_days_and_month_days() {
        // Every day at 09:00 and 17:30? No: hours × minutes = 09:00, 09:30, 17:00, 17:30.
        let r = rec(
            json!({"frequency": "Day", "interval": 1, "startTime": "2026-11-20T00:00:00Z",
                           "schedule": {"hours": [9, 17], "minutes": [0, 30]}}),
        );
        assert_eq!(
            runs(&r, "2026-11-22T12:00:00Z", 4),
            [
                "2026-11-22T17:00:00+00:00",
                "2026-11-22T17:30:00+00:00",
                "2026-11-23T09:00:00+00:00",
                "2026-11-23T09:30:00+00:00"
            ]
        );
        // Every other week on Monday and Friday at 08:15, from Wednesday 4 Nov 2026.
        let r = rec(
            json!({"frequency": "Week", "interval": 2, "startTime": "2026-11-04T00:00:00Z",
                           "schedule": {"weekDays": ["Monday", "Friday"], "hours": [8], "minutes": [15]}}),
        );
        assert_eq!(
            runs(&r, "2026-11-04T00:00:00Z", 4),
            [
                "2026-11-06T08:15:00+00:00",
                "2026-11-16T08:15:00+00:00",
                "2026-11-20T08:15:00+00:00",
                "2026-11-30T08:15:00+00:00"
            ]
        );
        // The 1st and the last day of each month at the start's time.
        let r = rec(
            json!({"frequency": "Month", "interval": 1, "startTime": "2026-01-15T06:00:00Z",
                           "schedule": {"monthDays": [1, -1]}}),
        );
        assert_eq!(
            runs(&r, "2026-01-15T00:00:00Z", 4),
            [
                "2026-01-31T06:00:00+00:00",
                "2026-02-01T06:00:00+00:00",
                "2026-02-28T06:00:00+00:00",
                "2026-03-01T06:00:00+00:00"
            ]
        );
        // Monthly from the 31st: the last day of shorter months.
        let r =
            rec(json!({"frequency": "Month", "interval": 1, "startTime": "2026-01-31T06:00:00Z"}));
        assert_eq!(
            runs(&r, "2026-01-01T00:00:00Z", 3),
            [
                "2026-01-31T06:00:00+00:00",
                "2026-02-28T06:00:00+00:00",
                "2026-03-31T06:00:00+00:00"
            ]
        );
        assert!(Recurrence::from_config(
            &json!({"frequency": "Day", "schedule": {"weekDays": ["Monday"]}})
        )
        .is_err());
        assert!(Recurrence::from_config(
            &json!({"frequency": "Month", "schedule": {"monthDays": [0]}})
        )
        .is_err());
    }

    #[test]
    fn sliding_windows_backfill_what_was_missed() {
        let r =
            rec(json!({"frequency": "Hour", "interval": 1, "startTime": "2026-11-22T00:00:00Z"}));
        let w = r.windows(
            Some(ts("2026-11-22T01:00:00Z")),
            ts("2026-11-22T00:00:00Z"),
            ts("2026-11-22T04:30:00Z"),
        );
        let shown: Vec<String> = w.iter().map(|(a, b)| format!("{a}..{b}")).collect();
        assert_eq!(
            shown,
            [
                "2026-11-22T01:00:00Z..2026-11-22T02:00:00Z",
                "2026-11-22T02:00:00Z..2026-11-22T03:00:00Z",
                "2026-11-22T03:00:00Z..2026-11-22T04:00:00Z"
            ]
        );
    }
}
