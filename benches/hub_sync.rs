//! The team hub (issue 16) on a real PostgreSQL server: how many label events a second one
//! copy sends into the hub and another brings, and how long a verdict takes from one labeler's
//! copy to another's when both sync as the app does (the sender after its save; the receiver
//! when LISTEN/NOTIFY tells it). Prints figures beside their targets; asserts nothing.
//!
//! Needs a server: `PAIRSCOPE_TEST_POSTGRES=postgres://ADMIN@HOST:PORT/postgres` (`.ci/postgres.sh`
//! starts a throwaway one). Makes a database of its own and drops it afterwards.
//!
//!     cargo bench --bench hub_sync

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pairscope::domain::Truth;
use pairscope::hub::{self, HubUrl, connect};
use pairscope::store::{Origin, PairId, Role, Store, StoreError};

/// Rounds over the sitcom project's 160 pairs: 160 verdict events each.
const ROUNDS: usize = 40;
const LATENCY_SAMPLES: usize = 100;

fn pairscope(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_pairscope")).args(args).output().expect("running pairscope");
    assert!(out.status.success(), "pairscope {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Every pair of the copy gets this labeler's verdict, alternating by round, in one
/// transaction per round.
fn label_rounds(store: &Mutex<Store>, name: &str, rounds: usize) -> usize {
    let mut store = store.lock().unwrap();
    let pairs: Vec<PairId> = store.read(|tx| tx.pairs()).unwrap().into_iter().map(|p| p.id).collect();
    for round in 0..rounds {
        let verdict = if round % 2 == 0 { Truth::Different } else { Truth::Same };
        store
            .write(|tx| {
                let me = tx.labeler_or_create(name)?.0.id;
                for &pair in &pairs {
                    tx.set_verdict(pair, me, Some(verdict), Origin::Gui)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
    pairs.len() * rounds
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1).min(sorted.len() - 1)]
}

fn main() {
    let Ok(admin) = std::env::var("PAIRSCOPE_TEST_POSTGRES") else {
        println!("hub_sync: no server; set PAIRSCOPE_TEST_POSTGRES (see .ci/postgres.sh)");
        return;
    };
    let admin = HubUrl::parse(&admin).unwrap();
    let tag = std::process::id();
    let database = format!("bench_hub_{tag}");
    connect(&admin).unwrap().batch_execute(&format!("CREATE DATABASE {database}")).unwrap();
    let url = HubUrl::parse(&format!("postgres://{}@{}:{}/{database}", admin.user, admin.host, admin.port)).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let sitcom = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/sitcom");
    let owner = dir.path().join("owner.pairscope");
    pairscope(&["import-folders", owner.to_str().unwrap(), "--images", sitcom.to_str().unwrap(), "--seed", "1"]);
    hub::init(&url).unwrap();
    hub::share(&mut Store::open(&owner).unwrap(), &url, "bench").unwrap();
    let mut roles = Vec::new();
    let mut copies = Vec::new();
    for name in ["ana", "ben"] {
        let role = format!("bench_{name}_{tag}");
        hub::add_labeler(&mut connect(&url).unwrap(), name, &role, Role::Labeler).unwrap();
        let copy = dir.path().join(format!("{name}.pairscope"));
        hub::clone_hub(&url.as_role(&role), &copy, &sitcom).unwrap();
        roles.push(role);
        copies.push(Mutex::new(Store::open(&copy).unwrap()));
    }
    let (ana, ben) = (&copies[0], &copies[1]);

    let events = label_rounds(ana, "ana", ROUNDS);
    let started = Instant::now();
    let sent = hub::sync(ana).unwrap().sent;
    let send_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let brought = hub::sync(ben).unwrap().brought;
    let bring_secs = started.elapsed().as_secs_f64();
    assert_eq!((sent, brought), (events, events));
    println!(
        "send:  {sent} verdict events in {send_secs:.2} s = {:.0} events/s (target >= 1,000)",
        sent as f64 / send_secs
    );
    println!("bring: {brought} events in {bring_secs:.2} s = {:.0} events/s", brought as f64 / bring_secs);

    // One verdict at a time: ana labels and syncs; ben's listener hears, ben syncs.
    let stop = Arc::new(AtomicBool::new(false));
    let (heard_tx, heard) = channel();
    let ben_link = ben.lock().unwrap().read(|tx| tx.hub_link()).unwrap().unwrap();
    let listener = {
        let (stop, url) = (stop.clone(), url.as_role(&roles[1]));
        std::thread::spawn(move || {
            hub::listen(&url, &ben_link.copy_id, &stop, || {
                let _ = heard_tx.send(());
            })
        })
    };
    std::thread::sleep(Duration::from_millis(300)); // LISTEN is in place
    let mut latencies = Vec::new();
    let pair = PairId(1);
    for i in 0..LATENCY_SAMPLES {
        // The rounds above ended on "same": each sample changes the verdict, so each is an event.
        let verdict = if i % 2 == 0 { Truth::Different } else { Truth::Same };
        let started = Instant::now();
        ana.lock()
            .unwrap()
            .write(|tx| {
                let me = tx.labeler_or_create("ana")?.0.id;
                tx.set_verdict(pair, me, Some(verdict), Origin::Gui)
            })
            .unwrap();
        hub::sync(ana).unwrap();
        heard.recv_timeout(Duration::from_secs(10)).expect("ben hears of ana's verdict");
        hub::sync(ben).unwrap();
        let arrived = ben.lock().unwrap().read(|tx| {
            let ana = tx.find_labeler("ana")?.unwrap().id;
            tx.verdict(pair, ana)
        });
        assert_eq!(arrived.unwrap(), Some(verdict));
        latencies.push(started.elapsed());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    listener.join().unwrap().unwrap();
    latencies.sort();
    println!(
        "verdict from ana's copy to ben's: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms over {LATENCY_SAMPLES} (target p95 < 1 s)",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.95).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3
    );

    drop(copies);
    let mut client = connect(&admin).unwrap();
    client.batch_execute(&format!("DROP DATABASE {database} WITH (FORCE)")).unwrap();
    for role in roles {
        client.batch_execute(&format!("DROP ROLE IF EXISTS {role}")).unwrap();
    }
}
