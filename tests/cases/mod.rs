mod broken;
mod browser;
mod cli;
mod example;
mod rendering;
mod validity;
