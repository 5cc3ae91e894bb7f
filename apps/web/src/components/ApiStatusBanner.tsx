/** A clear message when the API cannot be reached; edits keep being saved in this browser meanwhile. */
import { useSession } from '../store';

export function ApiStatusBanner() {
  const status = useSession((s) => s.apiStatus);
  const message = useSession((s) => s.apiMessage);
  if (status !== 'unreachable') return null;
  return (
    <div className="banner banner--error" role="alert" data-testid="api-unreachable">
      <strong>Can’t reach the Tandem service.</strong> {message} Your changes are kept in this browser and will be saved when it is back.
    </div>
  );
}
