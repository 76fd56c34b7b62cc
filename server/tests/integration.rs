//! All server integration tests, compiled into one binary (a real server on
//! port 0, real websockets, real HTTP).

mod common;

mod abuse;
mod agent;
mod callbacks;
mod console;
mod faults;
mod help;
mod http;
mod identity;
mod multinode;
mod offline;
mod prechat;
mod privacy;
mod proactive;
mod reports;
mod restart;
mod security;
mod transcript;
mod views;
mod visitor;
