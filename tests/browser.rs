//! The built site in a real browser: Debian's chromium, driven through chromedriver with
//! fantoccini. `.ci/run` installs both; set TOLK_SKIP_BROWSER_TESTS=1 to skip on a machine
//! without them.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::browser::{self, TestResult};
use common::server::StaticServer;
use common::{Site, SEED_PATH};
use fantoccini::{Client, Locator};

/// Waits until `script` (a JavaScript expression) is true, or fails with `what`.
async fn wait_for(client: &Client, script: &str, what: &str) -> TestResult {
    browser::wait_for(client, script, what, Duration::from_secs(15)).await
}

async fn start_browser() -> Result<Option<browser::Browser>, Box<dyn std::error::Error>> {
    browser::start(1280, 900).await
}

/// Builds `site` and serves the result to a browser; `None` where browser tests are skipped.
async fn built_in_browser(
    site: &Site,
) -> Result<Option<(StaticServer, browser::Browser)>, Box<dyn std::error::Error>> {
    site.run(&["build"]).success();
    let server = StaticServer::start(&site.path("public"));
    Ok(start_browser().await?.map(|browser| (server, browser)))
}

/// Types `query` into the search box, replacing what it held.
async fn search_for(client: &Client, query: &str) -> TestResult {
    wait_for(
        client,
        "document.querySelector('#search-input')",
        "the search box",
    )
    .await?;
    let input = client.find(Locator::Css("#search-input")).await?;
    input.clear().await?;
    input.send_keys(query).await?;
    Ok(())
}

/// The URLs of the search results shown.
async fn result_links(client: &Client) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let links = client
        .execute(
            "return [...document.querySelectorAll('.search-result')].map(a => a.href);",
            vec![],
        )
        .await?;
    Ok(links
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect())
}

fn screenshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

/// A test that fails before it closes its session leaves no browser running: dropping the
/// `Browser` ends chromedriver and the chromium it started.
#[tokio::test(flavor = "current_thread")]
async fn a_browser_left_open_ends_with_its_test() -> TestResult {
    let Some(browser) = start_browser().await? else {
        return Ok(());
    };
    browser.client.goto("about:blank").await?;
    let group = browser.process_group();
    assert!(
        browser::processes_in_group(group) >= 2,
        "chromedriver and chromium run in their own process group"
    );
    drop(browser);
    let started = std::time::Instant::now();
    while browser::processes_in_group(group) > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{} processes of the browser still run",
            browser::processes_in_group(group)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn the_seed_site_in_a_real_browser() -> TestResult {
    let site = Site::seeds();
    // 31% human translation (fr, it) is above this threshold; 0% (nl) is below.
    let config = site.read("tolk.toml") + "\n[site]\nmachine-translation-threshold = 30\n";
    site.file("tolk.toml", &config);
    let Some((server, browser)) = built_in_browser(&site).await? else {
        return Ok(());
    };
    let client = &browser.client;

    // The Dutch article, machine translated with 0% human review: the banner is there.
    client
        .goto(&server.url(&format!("/nl/{SEED_PATH}/")))
        .await?;
    wait_for(client, "document.readyState === 'complete'", "the nl page").await?;
    assert_eq!(
        client
            .find(Locator::Css("html"))
            .await?
            .attr("lang")
            .await?
            .as_deref(),
        Some("nl")
    );
    let banner = client
        .find(Locator::Css("[data-notice=machine-translation]"))
        .await?
        .text()
        .await?;
    assert!(banner.contains("0%"), "{banner}");

    // Switch to French and land on the same article, without a banner (31% > 30%).
    client
        .find(Locator::Css(".language-switcher a[data-locale=fr]"))
        .await?
        .click()
        .await?;
    wait_for(
        client,
        "document.documentElement.lang === 'fr'",
        "the fr page",
    )
    .await?;
    assert!(client
        .current_url()
        .await?
        .path()
        .ends_with(&format!("/fr/{SEED_PATH}/")));
    let h1 = client.find(Locator::Css("h1")).await?.text().await?;
    assert!(h1.starts_with("Dépannage"), "{h1}");
    assert!(client
        .find_all(Locator::Css("[data-notice=machine-translation]"))
        .await?
        .is_empty());

    // The sidebar marks the current article.
    wait_for(
        client,
        "document.querySelector('.sidebar a[aria-current=page]')",
        "the sidebar",
    )
    .await?;

    // Search the French site for a form of a word the seed only has in other forms
    // ("désactivé", "désactiver"): the index's stem "desactiv" starts the query word.
    search_for(client, "désactivation").await?;
    wait_for(
        client,
        &format!("[...document.querySelectorAll('.search-result')].some(a => a.href.endsWith('/fr/{SEED_PATH}/'))"),
        "the French seed among the results",
    )
    .await?;
    let results = result_links(client).await?;
    assert!(
        results.iter().all(|u| u.contains("/fr/")),
        "results in French only: {results:?}"
    );
    let first = client
        .find(Locator::Css(".search-result"))
        .await?
        .text()
        .await?;
    assert!(first.starts_with("Dépannage"), "title first: {first}");
    assert!(
        first.contains("jetons hérités"),
        "then the summary: {first}"
    );
    std::fs::create_dir_all(screenshots_dir())?;
    std::fs::write(
        screenshots_dir().join("search-fr-desktop.png"),
        client.screenshot().await?,
    )?;
    // The keyboard: arrow down to the first result, Escape closes the list.
    client
        .find(Locator::Css("#search-input"))
        .await?
        .send_keys("\u{E015}")
        .await?;
    wait_for(
        client,
        "document.activeElement.classList.contains('search-result')",
        "the first result focused",
    )
    .await?;
    client.active_element().await?.send_keys("\u{E00C}").await?;
    wait_for(
        client,
        "document.querySelector('.search-panel').hidden && document.activeElement.id === 'search-input'",
        "the results closed",
    )
    .await?;

    // The Dutch pages search the Dutch index only: the French word finds nothing there, and a
    // word of both seeds finds the Dutch article only.
    client
        .goto(&server.url(&format!("/nl/{SEED_PATH}/")))
        .await?;
    wait_for(client, "document.readyState === 'complete'", "the nl page").await?;
    search_for(client, "désactivation").await?;
    wait_for(
        client,
        "!document.querySelector('.search-panel').hidden && !document.querySelector('.search-empty').hidden",
        "the no-results message",
    )
    .await?;
    let empty = client
        .find(Locator::Css(".search-empty"))
        .await?
        .text()
        .await?;
    assert_eq!(empty, "Geen pagina’s bevatten al deze woorden.");
    assert!(result_links(client).await?.is_empty());
    search_for(client, "Microsoft tokens").await?;
    wait_for(
        client,
        "document.querySelectorAll('.search-result').length > 0",
        "a Dutch result",
    )
    .await?;
    let results = result_links(client).await?;
    assert_eq!(
        results,
        [server.url(&format!("/nl/{SEED_PATH}/"))],
        "the Dutch seed only"
    );
    client
        .goto(&server.url(&format!("/fr/{SEED_PATH}/")))
        .await?;
    wait_for(client, "document.readyState === 'complete'", "the fr page").await?;

    // The copy button puts the code on the clipboard.
    client
        .execute("window.__copied = null; navigator.clipboard.writeText = (t) => { window.__copied = t; return Promise.resolve(); };", vec![])
        .await?;
    client
        .find(Locator::Css(".code-copy"))
        .await?
        .click()
        .await?;
    wait_for(client, "window.__copied !== null", "the copied text").await?;
    let copied = client.execute("return window.__copied;", vec![]).await?;
    assert_eq!(
        copied.as_str().map(str::trim_end),
        Some("Unexpected error\nUnable to get the outlookIdentityToken")
    );
    let label = client
        .find(Locator::Css(".code-copy"))
        .await?
        .text()
        .await?;
    assert_eq!(label, "Copié");

    // The status page lists the three translations of the seed.
    client.goto(&server.url("/status/")).await?;
    wait_for(
        client,
        "document.querySelector('#status-table')",
        "the status page",
    )
    .await?;
    let cells = client
        .execute("return [...document.querySelectorAll('#status-table tbody tr')].filter(r => r.textContent.includes('troubleshooting-outlookidentitytoken-error')).map(r => r.querySelectorAll('td a').length);", vec![])
        .await?;
    assert_eq!(
        cells,
        serde_json::json!([3]),
        "one row, three linked translations"
    );

    // Screenshots for people to look at: every locale, desktop and phone.
    std::fs::create_dir_all(screenshots_dir())?;
    for locale in ["nl", "fr", "it"] {
        for (device, width, height) in [("desktop", 1280, 900), ("phone", 390, 844)] {
            client.set_window_size(width, height).await?;
            client
                .goto(&server.url(&format!("/{locale}/{SEED_PATH}/")))
                .await?;
            wait_for(client, "document.readyState === 'complete'", "the page").await?;
            let png = client.screenshot().await?;
            std::fs::write(
                screenshots_dir().join(format!("seed-{locale}-{device}.png")),
                png,
            )?;
        }
    }
    browser.client.clone().close().await?;
    Ok(())
}

/// An article deep in a long sidebar opens at the top of the page (the sidebar scrolls itself
/// to the current article; the page does not), on the 909-article known-issues corpus.
#[tokio::test(flavor = "current_thread")]
async fn a_deep_article_opens_at_the_top() -> TestResult {
    let site = Site::new();
    common::copy_tree(&common::fixtures().join("known-issues"), site.root());
    let Some((server, browser)) = built_in_browser(&site).await? else {
        return Ok(());
    };
    let client = &browser.client;
    client.goto(&server.url("/nl/")).await?;
    wait_for(client, "document.readyState === 'complete'", "the nl home").await?;
    // The last article of the home page's list is the deepest in the sidebar.
    let last = client
        .execute(
            "const a = [...document.querySelectorAll('main a[href]')].filter(a => a.href.includes('/nl/') && !a.href.endsWith('/nl/')); return a[a.length - 1].href;",
            vec![],
        )
        .await?;
    let last = last.as_str().unwrap_or_default().to_owned();
    assert!(last.contains("/nl/"), "{last}");
    client.goto(&last).await?;
    wait_for(
        client,
        "document.querySelector('.sidebar a[aria-current=page]')",
        "the sidebar with the current article",
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let measured = client
        .execute(
            "const s = document.querySelector('.sidebar'), c = s.querySelector('a[aria-current=page]'); \
             const sr = s.getBoundingClientRect(), cr = c.getBoundingClientRect(); \
             return [window.scrollY, s.scrollTop, cr.top >= sr.top && cr.bottom <= sr.bottom];",
            vec![],
        )
        .await?;
    assert_eq!(
        measured[0].as_f64(),
        Some(0.0),
        "the page is at its top: {measured}"
    );
    assert!(
        measured[1].as_f64().unwrap_or(0.0) > 0.0,
        "the sidebar scrolled: {measured}"
    );
    assert_eq!(
        measured[2].as_bool(),
        Some(true),
        "the current article is visible in the sidebar: {measured}"
    );
    browser.client.clone().close().await?;
    Ok(())
}

/// The root page in the reader's language: a browser set to French sees its texts in French
/// and Français first (the HTML itself stays in the source language, English here); arriving
/// from elsewhere it is sent on to /fr/, from the site's "Languages" link it stays.
#[tokio::test(flavor = "current_thread")]
async fn the_root_page_speaks_the_browsers_language() -> TestResult {
    let site = Site::seeds();
    site.run(&["build"]).success();
    let html = site.read("public/index.html");
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains(">Skip to content</a>"), "{html}");
    assert!(
        html.contains("\"fr\":{") && html.contains("\"Créé avec tolk.\""),
        "the texts of every locale are in the page: {html}"
    );
    let server = StaticServer::start(&site.path("public"));
    let Some(browser) =
        browser::start_with(1280, 900, &["--lang=fr", "--accept-lang=fr-FR,fr"]).await?
    else {
        return Ok(());
    };
    let client = &browser.client;
    let languages = client
        .execute("return navigator.languages.join(',');", vec![])
        .await?;
    assert!(
        languages.as_str().unwrap_or_default().starts_with("fr"),
        "the browser asks for French: {languages}"
    );
    client.goto(&server.url("/")).await?;
    wait_for(
        client,
        "location.pathname === '/fr/'",
        "the redirect to the French home page",
    )
    .await?;

    // The "Languages" link of a page of the site: the root page stays, in French.
    client.goto(&server.url("/nl/")).await?;
    wait_for(
        client,
        "document.querySelector('.site-languages')",
        "the nl home",
    )
    .await?;
    client
        .find(Locator::Css(".site-languages"))
        .await?
        .click()
        .await?;
    wait_for(
        client,
        "location.pathname === '/' && document.documentElement.lang === 'fr' && document.readyState === 'complete'",
        "the root page in French",
    )
    .await?;
    let shown = client
        .execute(
            "return [document.querySelector('.skip-link').textContent, \
             document.querySelector('.site-footer').textContent, \
             [...document.querySelectorAll('.language-list a')].map(a => a.textContent).join(',')];",
            vec![],
        )
        .await?;
    assert_eq!(
        shown,
        serde_json::json!([
            "Aller au contenu",
            "Créé avec tolk.",
            "Français,Nederlands,Italiano"
        ]),
    );
    std::fs::create_dir_all(screenshots_dir())?;
    std::fs::write(
        screenshots_dir().join("root-page-fr.png"),
        client.screenshot().await?,
    )?;
    browser.client.clone().close().await?;
    Ok(())
}

/// The status site's side-by-side page of a drifted translation, in a real browser: a real
/// known-issues article (tests/fixtures/segments/) with a number changed in fr and a paragraph
/// removed in it. Each pivot segment is shown level with its counterpart, the finding under
/// the translation's cell, the removed paragraph as a gap.
#[tokio::test(flavor = "current_thread")]
async fn a_side_by_side_page_in_a_real_browser() -> TestResult {
    let site = Site::segments();
    let article = "wf-teams-statuses-missing.md";
    site.edit(
        &format!("content/fr/{article}"),
        "mercredi 5 décembre",
        "mercredi 6 décembre",
    );
    site.edit(
        &format!("content/it/{article}"),
        "Sono stati segnalati i seguenti problemi relativi agli stati per il pulsante [!UICONTROL Fine] durante la modifica o la creazione di un team:\n\n",
        "",
    );
    let Some((server, browser)) = built_in_browser(&site).await? else {
        return Ok(());
    };
    let client = &browser.client;

    // From the dashboard to the French page.
    client.goto(&server.url("/status/")).await?;
    wait_for(
        client,
        "document.querySelector('a[href$=\"segments/fr/wf-teams-statuses-missing.html\"]')",
        "the dashboard's link to the fr side-by-side page",
    )
    .await?;
    client
        .find(Locator::Css(
            "a[href$=\"segments/fr/wf-teams-statuses-missing.html\"]",
        ))
        .await?
        .click()
        .await?;
    wait_for(
        client,
        "document.querySelector('tr.flagged')",
        "the flagged row",
    )
    .await?;
    // The flagged row: the English date beside the French one, the finding under the French,
    // the two cells level and side by side.
    let flagged = client
        .execute(
            "const r = document.querySelector('tr.flagged'); \
             const [a, b] = [...r.cells].map(c => c.getBoundingClientRect()); \
             return { pivot: r.cells[0].innerText, other: r.cells[1].innerText, \
                      level: Math.abs(a.top - b.top) < 1, beside: b.left >= a.right - 1, \
                      flagged: document.querySelectorAll('tr.flagged').length };",
            vec![],
        )
        .await?;
    let text = |key: &str| flagged[key].as_str().unwrap_or_default().to_owned();
    assert!(text("pivot").contains("December 5, 2023"), "{flagged}");
    assert!(text("other").contains("6 décembre 2023"), "{flagged}");
    assert!(text("other").contains("number-mismatch"), "{flagged}");
    assert_eq!(flagged["level"], true, "{flagged}");
    assert_eq!(flagged["beside"], true, "{flagged}");
    assert_eq!(flagged["flagged"], 1, "{flagged}");
    std::fs::create_dir_all(screenshots_dir())?;
    std::fs::write(
        screenshots_dir().join("side-by-side-fr.png"),
        client.screenshot().await?,
    )?;

    // The Italian page: the removed paragraph is a gap on the translation's side, and the rows
    // after it still pair the same paragraphs (the list items follow the gap).
    client
        .goto(&server.url("/status/segments/it/wf-teams-statuses-missing.html"))
        .await?;
    wait_for(client, "document.querySelector('td.gap')", "the gap").await?;
    let gap = client
        .execute(
            "const g = document.querySelector('td.gap'); const r = g.parentElement; \
             const next = r.nextElementSibling; \
             return { pivot: r.cells[0].innerText, gap: g.innerText, \
                      next_pivot: next.cells[0].innerText, next_other: next.cells[1].innerText, \
                      next_gap: next.querySelector('td.gap') !== null };",
            vec![],
        )
        .await?;
    let text = |key: &str| gap[key].as_str().unwrap_or_default().to_owned();
    assert!(
        text("pivot").contains("The following issues have been reported"),
        "{gap}"
    );
    assert!(text("gap").contains("missing here"), "{gap}");
    assert!(
        text("next_pivot").contains("Some statuses may be missing"),
        "{gap}"
    );
    assert!(
        text("next_other").contains("Alcuni stati potrebbero"),
        "{gap}"
    );
    assert_eq!(gap["next_gap"], false, "{gap}");
    std::fs::write(
        screenshots_dir().join("side-by-side-it.png"),
        client.screenshot().await?,
    )?;
    Ok(())
}
