//! `herald serve`: builds the site, then serves the output folder under the base URL's sub-path
//! on loopback (unless told otherwise), so every link works exactly as it will when published.
//! Serving never reaches outside the output folder.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use axum::Router;
use axum::response::Redirect;
use tower_http::services::{ServeDir, ServeFile};

/// Serves `output` at `http://bind:port{base_path}` until the process is stopped.
pub fn run(output: PathBuf, base_path: String, bind: IpAddr, port: u16) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()?;
    runtime.block_on(async move {
        let files = ServeDir::new(&output)
            .append_index_html_on_directories(true)
            .not_found_service(ServeFile::new(output.join("404.html")));
        let mount = base_path.trim_end_matches('/').to_string();
        let app = if mount.is_empty() {
            Router::new().fallback_service(files)
        } else {
            let to = base_path.clone();
            Router::new()
                .route(
                    "/",
                    axum::routing::get(move || async move { Redirect::temporary(&to) }),
                )
                .nest_service(&mount, files)
        };
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(bind, port)).await?;
        let addr = listener.local_addr()?;
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        println!(
            "Serving {} at http://{host}:{}{base_path} (Ctrl+C to stop)",
            output.display(),
            addr.port()
        );
        axum::serve(listener, app).await
    })
}
