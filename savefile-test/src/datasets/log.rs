//! `log`: 10 000 HTTP access-log records, small records made mostly of short strings.
//!
//! The format's cost here is per string: four length prefixes and four allocations per
//! record, for 58 bytes of text on average.

use bitcode::{Decode, Encode};
use savefile_derive::Savefile;
use serde::{Deserialize, Serialize};

use super::rng::Rng;

/// The number of records.
pub const LOGS: usize = 10_000;

/// An IPv4 address as four octets.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Address {
    /// First octet, uniform.
    pub x0: u8,
    /// Second octet, uniform.
    pub x1: u8,
    /// Third octet, uniform.
    pub x2: u8,
    /// Fourth octet, uniform.
    pub x3: u8,
}

/// One access-log line.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Log {
    /// The client's address.
    pub address: Address,
    /// Always `"-"`, as in most real logs.
    pub identity: String,
    /// `"-"` or one of eight first names.
    pub userid: String,
    /// `day/Mon/year:h:m:s tz` without zero padding, e.g. `17/Feb/1999:22:18:8 +1100`.
    pub date: String,
    /// `METHOD ROUTE PROTOCOL`, e.g. `GET /api/login HTTP/1.1`.
    pub request: String,
    /// One of 63 HTTP status codes.
    pub code: u16,
    /// Response size, below 100 million.
    pub size: u64,
}

/// The dataset: every record in one vector.
#[derive(Savefile, Serialize, Deserialize, Encode, Decode, Clone, Debug, PartialEq)]
pub struct Logs {
    /// The records.
    pub logs: Vec<Log>,
}

const USER_IDS: [&str; 9] = [
    "-", "alice", "bob", "carmen", "david", "eric", "frank", "george", "harry",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "UPDATE", "DELETE"];
const ROUTES: [&str; 7] = [
    "/favicon.ico",
    "/css/index.css",
    "/css/font-awsome.min.css",
    "/img/logo-full.svg",
    "/img/splash.jpg",
    "/api/login",
    "/api/logout",
];
const PROTOCOLS: [&str; 4] = ["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3"];
/// Every status code of the HTTP registry that the dataset uses.
const CODES: [u16; 63] = [
    100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304,
    305, 306, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414,
    415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504,
    505, 506, 507, 508, 510, 511,
];

/// The dataset, the same on every call.
pub fn generate() -> Logs {
    let mut rng = Rng::new(super::SEED);
    let count = LOGS as i32;
    Logs {
        logs: rng.vec(count..count + 1, Log::generate),
    }
}

impl Log {
    fn generate(rng: &mut Rng) -> Log {
        // The strings are drawn before the fixed fields, as in the community benchmark.
        let date = date(rng);
        let request = format!(
            "{} {} {}",
            rng.pick(&METHODS),
            rng.pick(&ROUTES),
            rng.pick(&PROTOCOLS)
        );
        let address = Address {
            x0: rng.range(0..256) as u8,
            x1: rng.range(0..256) as u8,
            x2: rng.range(0..256) as u8,
            x3: rng.range(0..256) as u8,
        };
        Log {
            address,
            identity: "-".to_string(),
            userid: rng.pick(&USER_IDS).to_string(),
            date,
            request,
            code: *rng.pick(&CODES),
            size: rng.range(0..100_000_000) as u64,
        }
    }
}

fn date(rng: &mut Rng) -> String {
    let day = rng.range(1..29);
    let month = rng.pick(&MONTHS);
    let year = rng.range(1970..2022);
    let hour = rng.range(0..24);
    let minute = rng.range(0..60);
    let second = rng.range(0..60);
    // Time zones in whole hours from -1200 to +1200; `+03` pads the sign and two digits.
    let zone = rng.range(-12..13);
    format!("{day}/{month}/{year}:{hour}:{minute}:{second} {zone:+03}00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_the_documented_shape() {
        let logs = generate().logs;
        assert_eq!(logs.len(), LOGS);
        for log in &logs {
            assert_eq!(log.identity, "-");
            assert!(USER_IDS.contains(&log.userid.as_str()));
            assert!(CODES.contains(&log.code));
            assert!(log.size < 100_000_000);
            let words: Vec<&str> = log.request.split(' ').collect();
            assert_eq!(words.len(), 3, "{}", log.request);
            assert!(METHODS.contains(&words[0]) && ROUTES.contains(&words[1]));
            assert!(PROTOCOLS.contains(&words[2]));
            let (stamp, zone) = log.date.split_once(' ').unwrap();
            assert_eq!(zone.len(), 5, "{zone}");
            let hours: i32 = zone[..3].parse().unwrap();
            assert!((-12..=12).contains(&hours) && zone.ends_with("00"));
            let parts: Vec<&str> = stamp.split(['/', ':']).collect();
            assert_eq!(parts.len(), 6, "{stamp}");
            assert!(MONTHS.contains(&parts[1]));
            let day: u32 = parts[0].parse().unwrap();
            let year: u32 = parts[2].parse().unwrap();
            assert!((1..=28).contains(&day) && (1970..=2021).contains(&year));
        }
        // Every time zone, user and code occurs in 10 000 draws.
        assert!(logs.iter().any(|l| l.date.ends_with("-1200")));
        assert!(logs.iter().any(|l| l.date.ends_with("+0000")));
        assert!(logs.iter().any(|l| l.date.ends_with("+1200")));
        assert!(USER_IDS.iter().all(|u| logs.iter().any(|l| l.userid == *u)));
        assert!(CODES.iter().all(|c| logs.iter().any(|l| l.code == *c)));
    }

    #[test]
    fn string_bytes_match_the_community_dataset_closely() {
        let logs = generate().logs;
        let bytes: usize = logs
            .iter()
            .map(|l| l.identity.len() + l.userid.len() + l.date.len() + l.request.len())
            .sum();
        // 585 776 in the community benchmark's draw; ours is another draw of the same law.
        assert!((575_000..597_000).contains(&bytes), "{bytes}");
    }

    #[test]
    fn is_deterministic() {
        assert_eq!(generate(), generate());
    }
}
