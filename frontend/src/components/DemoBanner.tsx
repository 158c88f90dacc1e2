export function DemoBanner() {
  return (
    <div className="demo-banner" role="note" data-testid="demo-banner">
      <strong>Demo mode.</strong> No server is connected: a mock API in your browser answers with generated invoices.
      Uploads are not read and nothing leaves this tab.
    </div>
  );
}
