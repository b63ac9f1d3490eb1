package org.ldapmailcow.directory;

import java.util.List;

import javax.naming.NamingException;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;

/**
 * The searches the cycle makes besides camel-ldap's user and group searches: batched member look-ups and
 * ranged reads of large groups. The whole result is returned, however many pages the server needed.
 */
public interface DirectorySearch {

    int OBJECT = SearchControls.OBJECT_SCOPE;
    int ONE_LEVEL = SearchControls.ONELEVEL_SCOPE;
    int SUBTREE = SearchControls.SUBTREE_SCOPE;

    /**
     * @param scope      {@link #OBJECT}, {@link #ONE_LEVEL} or {@link #SUBTREE}
     * @param attributes the attributes to return; none given means the server's default set
     * @throws NamingException when the directory cannot be searched; the cycle should not go on with a
     *                         partial picture of the groups
     */
    List<SearchResult> search(String base, int scope, String filter, String... attributes) throws NamingException;
}
