//! The `herald` command line: parses arguments, calls the library, prints, and exits
//! 0 (done), 1 (content errors) or 2 (usage errors).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use herald::diagnostics::Diagnostics;
use herald::{BuildOptions, BuildReport};

// A build makes millions of small, short-lived strings and template values across threads;
// mimalloc's per-thread heaps cut the time spent in the allocator and in page faults.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "herald",
    version,
    about = "Customer-programme portals and lobby screens from Markdown"
)]
struct Cli {
    /// The site's folder (the one holding site.toml).
    #[arg(long, short = 'C', global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new portal with example content.
    Init {
        /// A bare portal: a commented site.toml and one short example of each kind, instead
        /// of the example portal.
        #[arg(long)]
        empty: bool,
        /// Where to create it (empty or new).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Create a new content file with every key, optional ones commented out.
    New {
        /// improvement, milestone, recognition, announcement or page.
        kind: String,
        /// The title; the file name is made from it.
        title: String,
    },
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        opts: BuildArgs,
    },
    /// Build the site, then serve it on this machine.
    Serve {
        /// Address to listen on; loopback unless you mean to share it.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Look for changes by polling, for network shares, WSL and containers where change
        /// events do not arrive.
        #[arg(long)]
        poll: bool,
        /// Do not serve the studio for authors at /_herald/.
        #[arg(long, conflicts_with = "studio")]
        no_studio: bool,
        /// Serve the studio even when listening beyond this machine (--bind 0.0.0.0); it then
        /// asks for the secret token serve prints, or for --studio-user-header.
        #[arg(long)]
        studio: bool,
        /// With --studio behind a reverse proxy that authenticates users: the header it sets
        /// to the user's name (e.g. X-Remote-User), accepted instead of the token.
        #[arg(long, requires = "studio", value_name = "HEADER")]
        studio_user_header: Option<String>,
        #[command(flatten)]
        opts: BuildArgs,
    },
    /// Write JSON Schema files for site.toml, each kind's front matter and data/metrics.toml,
    /// for editors and other tools.
    Schema {
        /// The folder to write them into (made if missing), relative to the current folder,
        /// not the site's.
        #[arg(long, short, default_value = "schema")]
        output: PathBuf,
    },
    /// Find every content, link and template error; write nothing.
    Check {
        /// Check drafts too.
        #[arg(long)]
        drafts: bool,
        /// What "today" is (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
    },
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Output folder.
    #[arg(long, short, default_value = "public")]
    output: PathBuf,
    /// Publish at this address instead of site.toml's base_url.
    #[arg(long)]
    base_url: Option<String>,
    /// Build drafts too.
    #[arg(long)]
    drafts: bool,
    /// What "today" is (YYYY-MM-DD), for overdue marks and reproducible builds.
    #[arg(long, value_parser = parse_date)]
    today: Option<jiff::civil::Date>,
}

impl BuildArgs {
    fn options(self, root: &std::path::Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            output: Some(self.output),
            base_url: self.base_url,
            drafts: self.drafts,
            today: self.today,
            write: true,
            overlay: None,
            language: None,
        }
    }
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse()
        .map_err(|_| format!("{s:?} is not a date; write it as YYYY-MM-DD"))
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn print_diags(d: &Diagnostics) {
    if !d.is_empty() {
        eprint!("{}", d.render(color()));
    }
}

/// Whether a run wrote the site (`build`) or only checked it (`check`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    Build,
    Check,
}

fn summary(r: &BuildReport, root: &std::path::Path, run: Run) -> String {
    let out = r.output.strip_prefix(root).unwrap_or(&r.output);
    let [imp, ms, rec, pages] = r.entries;
    if run == Run::Check {
        return format!(
            "Checked {} pages and {} files in {:.2} s ({imp} improvements, {ms} milestones, {rec} recognitions, {pages} pages): no errors",
            r.pages,
            r.files,
            r.elapsed.as_secs_f64()
        );
    }
    format!(
        "Built {} pages and {} files in {:.2} s ({imp} improvements, {ms} milestones, {rec} recognitions, {pages} pages) → {}",
        r.pages,
        r.files,
        r.elapsed.as_secs_f64(),
        out.display()
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Init { empty, dir } => {
            // Shown as the user named it, so that the `cd` line can be pasted.
            let shown = if cli.root == std::path::Path::new(".") {
                dir.clone()
            } else {
                cli.root.join(&dir)
            };
            let dir = if dir.is_absolute() {
                dir
            } else {
                cli.root.join(dir)
            };
            let starter = if empty {
                herald::scaffold::Starter::Empty
            } else {
                herald::scaffold::Starter::Example
            };
            match herald::scaffold::init(&dir, starter) {
                Ok(n) => {
                    println!(
                        "Created a new portal in {} ({n} files): {}",
                        shown.display(),
                        herald::scaffold::next_steps(&shown, starter)
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprintln!("{}", d.render(color()));
                    ExitCode::from(d.exit_status())
                }
            }
        }
        Command::New { kind, title } => {
            match herald::scaffold::new_file(&cli.root, &kind, &title) {
                Ok(path) => {
                    println!(
                        "Created {}",
                        path.strip_prefix(&cli.root).unwrap_or(&path).display()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprintln!("{}", d.render(color()));
                    ExitCode::from(d.exit_status())
                }
            }
        }
        Command::Build { opts } => finish(
            herald::build(&opts.options(&cli.root)),
            &cli.root,
            Run::Build,
        ),
        Command::Serve {
            bind,
            port,
            poll,
            no_studio,
            studio,
            studio_user_header,
            opts,
        } => {
            let session = herald::serve::session::Session::new(opts.options(&cli.root));
            let serve = herald::serve::ServeOptions {
                bind,
                port,
                poll,
                color: color(),
                studio: if no_studio {
                    herald::serve::StudioMode::Off
                } else if studio {
                    herald::serve::StudioMode::On
                } else {
                    herald::serve::StudioMode::Loopback
                },
                studio_user_header,
            };
            match herald::serve::run(session, &serve) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => {
                    print_diags(&d);
                    ExitCode::from(d.exit_status())
                }
            }
        }
        Command::Schema { output } => match herald::schema::json::write_all(&output) {
            Ok(files) => {
                for f in files {
                    println!("Wrote {}", f.display());
                }
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprintln!("{}", d.render(color()));
                ExitCode::from(d.exit_status())
            }
        },
        Command::Check { drafts, today } => {
            let options = BuildOptions {
                drafts,
                today,
                write: false,
                ..BuildOptions::new(cli.root.clone())
            };
            finish(herald::build(&options), &cli.root, Run::Check)
        }
    }
}

fn finish(result: Result<BuildReport, Diagnostics>, root: &std::path::Path, run: Run) -> ExitCode {
    match result {
        Ok(report) => {
            print_diags(&report.warnings);
            println!("{}", summary(&report, root, run));
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diags(&d);
            ExitCode::from(d.exit_status())
        }
    }
}
