import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import { UploadPanel } from './UploadPanel';

const { server, reset } = createTestApi();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(reset);
afterAll(() => server.close());

const pdf = (name: string) => new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a])], name, { type: 'application/pdf' });

describe('UploadPanel', () => {
  it('checks each file, uploads the good ones with progress and hands over the job id', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const onUploaded = vi.fn((_jobId: string) => Promise.resolve());
    renderWithApp(
      <UploadPanel onUploaded={onUploaded} renderJob={(jobId) => <span>job {jobId}</span>} />,
    );

    await user.upload(screen.getByLabelText('Invoice files'), [
      pdf('a.pdf'),
      new File(['hello'], 'notes.txt', { type: 'text/plain' }),
      pdf('b.pdf'),
    ]);

    const rows = await screen.findAllByTestId('upload-row');
    expect(rows).toHaveLength(3);
    const rowOf = (name: string) => rows.find((row) => row.textContent.includes(name)) as HTMLElement;
    expect(await within(rowOf('notes.txt')).findByRole('alert')).toHaveTextContent('is not a PDF, PNG, JPEG, TIFF or XML e-invoice file');
    for (const name of ['a.pdf', 'b.pdf']) {
      await waitFor(() => expect(within(rowOf(name)).getByText('Uploaded')).toBeInTheDocument());
      expect(within(rowOf(name)).getByRole('progressbar')).toHaveAttribute('value', '100');
    }
    expect(onUploaded).toHaveBeenCalledTimes(2);
    const jobIds = onUploaded.mock.calls.map(([jobId]) => jobId);
    expect(new Set(jobIds).size).toBe(2);
    for (const jobId of jobIds) expect(screen.getByText(`job ${jobId}`)).toBeInTheDocument();
  });

  it('shows the API’s refusal when registering fails', async () => {
    const user = userEvent.setup();
    const onUploaded = vi.fn(() => Promise.resolve());
    // A name the API refuses (a path): it answers 400 with a message.
    renderWithApp(<UploadPanel onUploaded={onUploaded} />);
    await user.upload(screen.getByLabelText('Invoice files'), pdf('c\u0007.pdf'));
    expect(await screen.findByRole('alert')).toHaveTextContent(/^filename: /);
    expect(onUploaded).not.toHaveBeenCalled();
  });

  it('takes files dropped on the drop zone', async () => {
    const onUploaded = vi.fn(() => Promise.resolve());
    renderWithApp(<UploadPanel onUploaded={onUploaded} />);
    const zone = screen.getByTestId('dropzone');
    fireEvent.dragOver(zone, { dataTransfer: { files: [] } });
    expect(zone).toHaveClass('dropzone--active');
    fireEvent.drop(zone, { dataTransfer: { files: [pdf('dropped.pdf')] } });
    expect(zone).not.toHaveClass('dropzone--active');
    await waitFor(() => expect(onUploaded).toHaveBeenCalledTimes(1));
    expect(screen.getByTestId('upload-row')).toHaveTextContent('dropped.pdf');
  });

  it('is disabled, saying why, until the clerk has a name', () => {
    renderWithApp(<UploadPanel onUploaded={() => Promise.resolve()} disabledReason="Enter your clerk name first." />);
    expect(screen.getByRole('button', { name: 'Choose files' })).toBeDisabled();
    expect(screen.getByText('Enter your clerk name first.')).toBeInTheDocument();
  });
});
