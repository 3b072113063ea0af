mod broken;
mod cli;
mod example;
mod rendering;
