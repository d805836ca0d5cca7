package dev.gmem.ci.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Allure 2.34's page template, as it renders (tpl/index.html.ftl), loses its tracker and nothing else. */
class HtmlScrubTest {
    static final String ALLURE_PAGE = """
            <!DOCTYPE html>
            <html dir="ltr" lang="en">
            <head><meta charset="utf-8"><title>Allure Report</title></head>
            <body>
                <div id="content"></div>
                <script src="data:application/javascript;base64,QUxMVVJF"></script>
                <script async src="https://www.googletagmanager.com/gtag/js?id=G-FVWC4GKEYS"></script>
                <script>
                    window.dataLayer = window.dataLayer || [];
                    function gtag(){dataLayer.push(arguments);}
                    gtag('js', new Date());
                    gtag('config', 'G-FVWC4GKEYS', {
                      'allureVersion': '2.34.0',
                      'single_file': true
                    });
                </script>
                <script async>
                    window.reportDataReady = false;
                    window.reportData = window.reportData || {};
                </script>
            </body>
            </html>
            """;

    @Test
    void theTrackerGoesAndTheReportStays() {
        assertThat(HtmlScrub.traces(ALLURE_PAGE)).containsExactly("googletagmanager", "gtag");
        String page = HtmlScrub.scrub(ALLURE_PAGE);
        assertThat(HtmlScrub.traces(page)).isEmpty();
        assertThat(page).doesNotContainIgnoringCase("googletagmanager").doesNotContain("gtag")
                .contains("<script src=\"data:application/javascript;base64,QUxMVVJF\"></script>")
                .contains("window.reportDataReady = false;").contains("<div id=\"content\"></div>");
    }

    @Test
    void aPageWithoutATrackerIsLeftAsItIs() {
        String clean = "<html><body><script>window.reportData = {};</script></body></html>";
        assertThat(HtmlScrub.scrub(clean)).isEqualTo(clean);
    }
}
