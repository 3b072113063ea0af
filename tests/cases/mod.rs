mod broken;
mod browser;
mod cli;
mod example;
mod lobby;
mod rendering;
mod validity;
