//! What wakes the watcher, on one channel: changes to the watched files once
//! they have settled, and the signals that end it.

use super::status;
use super::watch_set::WatchSet;
use notify::{
    Config, Event, EventHandler, RecommendedWatcher, RecursiveMode, Watcher, WatcherKind,
};
use notify_debouncer_mini::{DebounceEventResult, DebouncedEventKind, Debouncer};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

/// How long a path must stay quiet before its change is acted on. Editors
/// finish a save (temporary file, rename, removal of the backup) within a
/// few milliseconds; a burst of saves closer together than this is one
/// rebuild, on the last content.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

pub enum Wake {
    /// A watched file changed (or may have: the watcher reported an error).
    Changed,
    /// Ctrl-C, SIGTERM or SIGHUP.
    Interrupted,
}

enum Message {
    Settled(Vec<PathBuf>),
    WatchFailed(notify::Error),
    Interrupted,
}

pub struct Events {
    debouncer: Debouncer<ChangesOnly>,
    messages: Receiver<Message>,
    watching: WatchSet,
}

impl Events {
    /// Starts the file system watcher and takes over Ctrl-C.
    pub fn start() -> Result<Events, String> {
        let (sender, messages) = mpsc::channel();
        let interrupts = sender.clone();
        ctrlc::set_handler(move || {
            let _ = interrupts.send(Message::Interrupted);
        })
        .map_err(|e| e.to_string())?;
        let config = notify_debouncer_mini::Config::default()
            .with_timeout(DEBOUNCE)
            // Each path is delivered as soon as it has settled, not held
            // back to be batched with others.
            .with_batch_mode(false);
        let debouncer = notify_debouncer_mini::new_debouncer_opt(config, forward_settled(sender))
            .map_err(|e| e.to_string())?;
        Ok(Events {
            debouncer,
            messages,
            watching: WatchSet::default(),
        })
    }

    /// Watches the folders of `set`, and no others. Every folder is watched
    /// again, not only new ones: a folder deleted and created anew since
    /// the last build is a new folder to the system.
    pub fn watch(&mut self, set: WatchSet) {
        let watcher = self.debouncer.watcher();
        for gone in self.watching.folders.difference(&set.folders) {
            // Fails only when the folder went with its watch.
            let _ = watcher.unwatch(gone);
        }
        for folder in &set.folders {
            if let Err(e) = watcher.watch(folder, RecursiveMode::NonRecursive) {
                status::print(format_args!("cannot watch {}: {e}", folder.display()));
            }
        }
        self.watching = set;
    }

    /// Blocks until a watched path has changed and settled, or the watcher
    /// is interrupted. Changes already waiting are taken with it, so one
    /// rebuild covers them all.
    pub fn wait(&self) -> Wake {
        let mut changed = false;
        loop {
            let message = if changed {
                match self.messages.try_recv() {
                    Ok(message) => message,
                    Err(_) => return Wake::Changed,
                }
            } else {
                match self.messages.recv() {
                    Ok(message) => message,
                    Err(_) => return Wake::Interrupted,
                }
            };
            match message {
                Message::Interrupted => return Wake::Interrupted,
                Message::Settled(paths) => {
                    changed |= paths.iter().any(|p| self.watching.matters(p));
                }
                Message::WatchFailed(e) => {
                    // Events may have been lost: build to be sure.
                    status::print(format_args!("file watcher: {e}"));
                    changed = true;
                }
            }
        }
    }
}

/// The debouncer's output as messages: the paths that have settled (not
/// those still changing), or the watcher's error.
fn forward_settled(sender: Sender<Message>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| {
        let message = match result {
            Ok(events) => Message::Settled(
                events
                    .into_iter()
                    .filter(|e| e.kind == DebouncedEventKind::Any)
                    .map(|e| e.path)
                    .collect(),
            ),
            Err(e) => Message::WatchFailed(e),
        };
        let _ = sender.send(message);
    }
}

/// The platform's watcher, less access events. poolc opens its inputs to
/// read them at every build; an open is no change, and passing it on would
/// rebuild forever.
struct ChangesOnly(RecommendedWatcher);

impl Watcher for ChangesOnly {
    fn new<F: EventHandler>(mut handler: F, config: Config) -> notify::Result<Self> {
        let changes_only = move |event: notify::Result<Event>| {
            if !event.as_ref().is_ok_and(|e| e.kind.is_access()) {
                handler.handle_event(event);
            }
        };
        RecommendedWatcher::new(changes_only, config).map(ChangesOnly)
    }

    fn watch(&mut self, path: &Path, recursive_mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, recursive_mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> WatcherKind {
        RecommendedWatcher::kind()
    }
}
