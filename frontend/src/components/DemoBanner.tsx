export function DemoBanner() {
  return (
    <div className="demo-banner" role="note" data-testid="demo-banner">
      <strong>Demo mode.</strong> No server is connected: a mock API in your browser answers with generated invoices,
      read by the real pipeline when this site was built. Uploads are not read (each shows one of those invoices) and
      nothing leaves this tab.
    </div>
  );
}
