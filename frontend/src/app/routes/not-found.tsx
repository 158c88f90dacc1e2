import { Link } from 'react-router';
import { paths } from '@/config/paths';

export function NotFoundRoute() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <Link to={paths.upload}>Go to the upload page</Link>
      </p>
    </>
  );
}
