//! End-to-end tests: the real binary on real files.

mod harness;

mod add;
mod archive;
mod change_meta;
mod check;
mod completion;
mod concurrency;
mod corpus;
mod crash;
mod dry_run;
mod errors;
mod file;
mod follow;
mod generate_id;
mod help;
mod input;
mod limits;
mod merge;
mod order;
mod query;
mod real_files;
mod remove_reason;
mod repl;
mod rules;
mod screen;
mod shell;
mod sync;
