using Microsoft.Playwright;

namespace Rhei.Server.Tests.Console;

/// <summary>
/// Headless Chromium driven by Playwright: Debian's <c>/usr/bin/chromium</c> (never a downloaded browser) through the
/// node driver that ships inside the Microsoft.Playwright package. Screenshots go to the test results folder.
/// </summary>
internal sealed class BrowserFixture : IAsyncDisposable
{
    /// <summary>The browser the tests drive; <c>RHEI_CHROMIUM</c> overrides it.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("RHEI_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private BrowserFixture(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<BrowserFixture> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"Chromium is not installed at {ChromiumPath}: the console's browser tests drive Debian's chromium. " +
                "Run scripts/test.sh, which installs it (apt-get install chromium), or set RHEI_CHROMIUM to a Chromium binary.");
        }

        // The driver must never fetch browsers: the tests run on the system Chromium, offline.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
                Timeout = 60_000,
            });
            return new BrowserFixture(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where screenshots go: <c>RHEI_TEST_RESULTS_DIR</c>, else <c>artifacts/test-results/console</c> under the repository
    /// root (the folder scripts/test.sh collects results in), else the test's output folder.
    /// </summary>
    public static string ResultsDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("RHEI_TEST_RESULTS_DIR");
        string directory;
        if (!string.IsNullOrEmpty(configured))
        {
            directory = Path.Combine(configured, "console");
        }
        else
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Rhei.slnx")))
            {
                root = root.Parent;
            }

            directory = root is null
                ? Path.Combine(AppContext.BaseDirectory, "test-results", "console")
                : Path.Combine(root.FullName, "artifacts", "test-results", "console");
        }

        Directory.CreateDirectory(directory);
        return directory;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
